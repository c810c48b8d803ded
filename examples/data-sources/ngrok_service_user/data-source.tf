# Look a user up by its name, which must match exactly one service user.
data "ngrok_service_user" "deploy" {
  name = "ci-deploy"
}

# Or by its ID.
data "ngrok_service_user" "by_id" {
  id = "service_32ELIFubEAAGUeRtreNW6kr94Od"
}

output "deploy_user" {
  value = {
    id         = data.ngrok_service_user.deploy.id
    active     = data.ngrok_service_user.deploy.active
    created_at = data.ngrok_service_user.deploy.created_at
  }
}

output "user_name" {
  value = data.ngrok_service_user.by_id.name
}
