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

# Read as the service user. owner_id ties the read to the user, so that on
# the run that creates the user Terraform waits for it (and for the key)
# instead of reading with a provider that has no key yet.
data "ngrok_api_keys" "own_keys" {
  provider = ngrok.as_ci
  owner_id = ngrok_service_user.ci.id
}
