# Every identity of the account. Nothing here depends on a resource, so
# Terraform reads it while planning, every time.
data "ngrok_users" "all" {
  include_bot_users = true
}

data "ngrok_api_keys" "all" {}

data "ngrok_authtokens" "all" {}

data "ngrok_ssh_credentials" "all" {}

locals {
  unmanaged = concat(
    [for u in data.ngrok_users.all.users : "service user ${u.name} (${u.id})" if !contains(local.managed_ids, u.id)],
    [for k in data.ngrok_api_keys.all.api_keys : "API key ${k.description} (${k.id})" if !contains(local.managed_ids, k.id)],
    [for k in data.ngrok_authtokens.all.authtokens : "authtoken ${k.description} (${k.id})" if !contains(local.managed_ids, k.id)],
    [for k in data.ngrok_ssh_credentials.all.ssh_credentials : "SSH key ${k.description} (${k.id})" if !contains(local.managed_ids, k.id)],
  )

  unmanaged_message = "Identities that no configuration manages: ${join(", ", local.unmanaged)}. Import each into the configuration that owns it, delete it, or add its ID to managed_elsewhere."
}
