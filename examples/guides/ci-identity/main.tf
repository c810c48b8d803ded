terraform {
  required_version = ">= 1.11"

  required_providers {
    ngrok = {
      source = "seed-66e0ccfd/ngrok"
    }
  }
}

# The provider reads its own key from NGROK_API_KEY.
provider "ngrok" {}

# The identity the deploy pipeline logs in as.
resource "ngrok_service_user" "deploy" {
  name = "ci-deploy"
}

# What its agents log in with, allowed to serve only the pipeline's domains.
resource "ngrok_authtoken" "deploy" {
  owner_id    = ngrok_service_user.deploy.id
  description = "ci-deploy agents"
  acl         = ["bind:*.preview.example.com", "bind:deploy.example.ngrok.app"]
  # Due for rotation after 90 days: the nightly drift plan reports it.
  rotate_after = "90d"

  lifecycle {
    create_before_destroy = true
  }
}

# What the pipeline calls the ngrok API with, as the same service user.
resource "ngrok_api_key" "deploy" {
  owner_id     = ngrok_service_user.deploy.id
  description  = "ci-deploy API calls"
  rotate_after = "90d"

  lifecycle {
    create_before_destroy = true
  }
}

output "authtoken" {
  value     = ngrok_authtoken.deploy.token
  sensitive = true
}

output "api_key" {
  value     = ngrok_api_key.deploy.token
  sensitive = true
}

output "rotation_due" {
  description = "When each credential is next due for rotation."
  value = {
    authtoken = ngrok_authtoken.deploy.rotation_due_at
    api_key   = ngrok_api_key.deploy.rotation_due_at
  }
}
