# A resource renamed in the same run: the moved block takes the user from
# ngrok/ngrok's state to the new address.
resource "ngrok_service_user" "deploy" {
  name = "ci-deploy"
}

moved {
  from = ngrok_service_user.ci
  to   = ngrok_service_user.deploy
}
