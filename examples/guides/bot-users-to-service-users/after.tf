resource "ngrok_service_user" "ci" {
  name = "ci-deploy"
}

# The bot user Terraform manages is now this service user: the plan moves it
# in state and creates, replaces and destroys nothing in ngrok.
moved {
  from = ngrok_bot_user.ci
  to   = ngrok_service_user.ci
}
