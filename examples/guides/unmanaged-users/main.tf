terraform {
  required_version = ">= 1.8"

  required_providers {
    ngrok = {
      source = "seed-66e0ccfd/ngrok"
    }
  }
}

# The provider reads its key from NGROK_API_KEY.
provider "ngrok" {}

# The service users this configuration manages.
resource "ngrok_service_user" "deploy" {
  name = "ci-deploy"
}

resource "ngrok_service_user" "preview" {
  name = "ci-preview"
}

variable "managed_elsewhere" {
  description = "IDs of service users that other configurations manage."
  type        = set(string)
  default     = []
}

# Every service user of the account, those created as bot users included
# (ngrok does not say whether /service_users lists them). It depends on no
# resource, so Terraform reads it while planning, every time.
data "ngrok_users" "all" {
  include_bot_users = true
}

locals {
  # Every user this configuration manages, and the allow-list.
  managed_ids = setunion([ngrok_service_user.deploy.id, ngrok_service_user.preview.id], var.managed_elsewhere)
  unmanaged   = [for u in data.ngrok_users.all.users : "${u.name} (${u.id})" if !contains(local.managed_ids, u.id)]

  unmanaged_message = "Service users that no configuration manages: ${join(", ", local.unmanaged)}. Import each into the configuration that owns it, delete it, or add its ID to managed_elsewhere."
}
