resource "ngrok_bot_user" "ci" {
  name = "ci-deploy"
}
