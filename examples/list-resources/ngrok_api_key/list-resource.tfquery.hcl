# The API keys of one service user (either spelling of its ID finds them).
list "ngrok_api_key" "ci" {
  provider         = ngrok
  include_resource = true

  config {
    owner_id = var.ci_user_id
  }
}
