terraform {
  required_version = ">= 1.11"

  required_providers {
    ngrok = {
      source = "seed-66e0ccfd/ngrok"
    }
  }
}

# The provider reads its key from NGROK_API_KEY.
provider "ngrok" {}

# The identities this configuration manages.
resource "ngrok_service_user" "deploy" {
  name = "ci-deploy"
}

resource "ngrok_service_user" "preview" {
  name = "ci-preview"
}

resource "ngrok_api_key" "deploy" {
  owner_id    = ngrok_service_user.deploy.id
  description = "deploy pipeline"
}

variable "managed_elsewhere" {
  description = "IDs of service users and credentials that other configurations manage."
  type        = set(string)
  default     = []
}

locals {
  # Every identity this configuration manages, and the allow-list. For a
  # resource with for_each add values(ngrok_service_user.NAME)[*].id; with
  # count, ngrok_service_user.NAME[*].id.
  managed_ids = setunion(
    [ngrok_service_user.deploy.id, ngrok_service_user.preview.id, ngrok_api_key.deploy.id],
    var.managed_elsewhere,
  )
}
