resource "ngrok_service_user" "ci" {
  name = "ci-deploy"
}

# A key that lives for this run only: created when Terraform opens it and
# revoked when the run ends. Its token is never written to state or plan.
ephemeral "ngrok_api_key" "run" {
  owner_id    = ngrok_service_user.ci.id
  description = "terraform run"
}

# A second provider configuration that acts as the service user for this run.
provider "ngrok" {
  alias   = "as_ci"
  api_key = ephemeral.ngrok_api_key.run.token
}

# Read as the service user: what it can see is what it may manage.
data "ngrok_api_keys" "visible_to_ci" {
  provider = ngrok.as_ci
}
