# The offline quickstart: `make demo` runs it against the bundled emulator.
# Point NGROK_API_KEY (and NGROK_API_BASE_URL, when not the real API) at an
# account and it works the same way against ngrok.
terraform {
  required_version = ">= 1.8"

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
