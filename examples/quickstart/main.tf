# The offline quickstart: `make demo` runs it against the bundled emulator.
# Point NGROK_API_KEY (and NGROK_API_BASE_URL, when not the real API) at an
# account and it works the same way against ngrok.
terraform {
  required_version = ">= 1.11"

  required_providers {
    ngrok = {
      source = "seed-66e0ccfd/ngrok"
    }
  }
}

# Configured from NGROK_API_KEY and NGROK_API_BASE_URL only: no key in code.
provider "ngrok" {}

locals {
  pipelines = toset(["ci-deploy", "ci-test", "agent-edge"])
}

resource "ngrok_service_user" "pipeline" {
  for_each = local.pipelines

  name = each.key
}

# Kept for its history, but its credentials no longer work.
resource "ngrok_service_user" "retired" {
  name   = "legacy-deployer"
  active = false
}

# What the deploy pipeline logs in with: an authtoken for its agents, allowed
# to serve only its own domains, and an API key for calls to the ngrok API.
# ngrok shows their tokens once; the state keeps them, marked sensitive.
resource "ngrok_authtoken" "deploy" {
  owner_id    = ngrok_service_user.pipeline["ci-deploy"].id
  description = "ci-deploy agents"
  acl         = ["bind:*.deploy.example.com"]
}

resource "ngrok_api_key" "deploy" {
  owner_id    = ngrok_service_user.pipeline["ci-deploy"].id
  description = "ci-deploy API calls"
}

# Read back through the list API; depends_on makes the read wait for the
# users above instead of running during the plan.
data "ngrok_users" "ci" {
  name_regex = "^ci-"

  depends_on = [ngrok_service_user.pipeline]
}

output "service_user_ids" {
  description = "IDs of the managed service users, by name."
  value = merge(
    { for name, u in ngrok_service_user.pipeline : name => u.id },
    { (ngrok_service_user.retired.name) = ngrok_service_user.retired.id },
  )
}

output "ci_user_names" {
  description = "Names of the account's service users starting with \"ci-\", newest first."
  value       = data.ngrok_users.ci.users[*].name
}

output "deploy_api_key" {
  description = "The deploy pipeline's API key: terraform output -raw deploy_api_key."
  value       = ngrok_api_key.deploy.token
  sensitive   = true
}

output "deploy_authtoken" {
  description = "The deploy pipeline's agent authtoken: terraform output -raw deploy_authtoken."
  value       = ngrok_authtoken.deploy.token
  sensitive   = true
}
