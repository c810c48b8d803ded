# Every ssh credentials of one service user (sent to the API as a filter).
data "ngrok_ssh_credentials" "ci" {
  owner_id = ngrok_service_user.ci.id
}

# Those a CEL expression selects, evaluated by the API.
data "ngrok_ssh_credentials" "tagged" {
  filter = "obj.description.startsWith(\"ci-\")"
}

output "ci_ssh_credentials" {
  value = data.ngrok_ssh_credentials.ci.ids
}
