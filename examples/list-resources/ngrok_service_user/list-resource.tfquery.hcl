# Every service user of the account, with what adopting one takes:
#   terraform query -generate-config-out=adopt.tf
list "ngrok_service_user" "all" {
  provider         = ngrok
  include_resource = true
  limit            = 1000
}

# The active users whose names start with "ci-", those created as bot users
# included.
list "ngrok_service_user" "ci" {
  provider = ngrok

  config {
    name_regex        = "^ci-"
    active            = true
    include_bot_users = true
  }
}
