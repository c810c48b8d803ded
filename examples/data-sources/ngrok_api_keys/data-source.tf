# Every api keys of one service user (sent to the API as a filter).
data "ngrok_api_keys" "ci" {
  owner_id = ngrok_service_user.ci.id
}

# Those a CEL expression selects, evaluated by the API.
data "ngrok_api_keys" "tagged" {
  filter = "obj.description.startsWith(\"ci-\")"
}

output "ci_api_keys" {
  value = data.ngrok_api_keys.ci.ids
}
