# The API keys of one service user. owner_id is sent to the API as a filter,
# so only that user's keys cross the network.
data "ngrok_api_keys" "ci" {
  owner_id = ngrok_service_user.ci.id
}

# That user's keys which no configuration manages, such as one made by hand in
# the dashboard: revoke them, or bring them under Terraform with an import.
output "unmanaged_ci_api_keys" {
  value = setsubtract(data.ngrok_api_keys.ci.ids, [ngrok_api_key.ci.id])
}
