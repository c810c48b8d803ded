# An auditing job: a service user that may read the account but change
# nothing (ngrok's developer-readonly role).
resource "ngrok_service_user" "auditor" {
  name  = "ci-auditor"
  roles = ["developer-readonly"]
}

# A key for this run only, held by the auditor.
ephemeral "ngrok_api_key" "auditor" {
  owner_id    = ngrok_service_user.auditor.id
  description = "audit run"
}

# A second provider configuration that acts as the auditor.
provider "ngrok" {
  alias   = "auditor"
  api_key = ephemeral.ngrok_api_key.auditor.token
}

# Reading works: the auditor sees every service user.
data "ngrok_users" "seen_by_auditor" {
  provider = ngrok.auditor

  # Read once the auditor and its key exist.
  depends_on = [ngrok_service_user.auditor]
}

output "users_seen_by_auditor" {
  value = length(data.ngrok_users.seen_by_auditor.ids)
}
