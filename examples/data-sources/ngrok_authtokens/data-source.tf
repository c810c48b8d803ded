# Every authtokens of one service user (sent to the API as a filter).
data "ngrok_authtokens" "ci" {
  owner_id = ngrok_service_user.ci.id
}

# Those a CEL expression selects, evaluated by the API.
data "ngrok_authtokens" "tagged" {
  filter = "obj.description.startsWith(\"ci-\")"
}

output "ci_authtokens" {
  value = data.ngrok_authtokens.ci.ids
}
