# Deprecated: prefer ngrok_service_user, which manages the same users.
resource "ngrok_bot_user" "legacy" {
  name = "legacy-ci"
}

# To switch, rename the resource type and record the move; the user is kept:
#
# resource "ngrok_service_user" "legacy" {
#   name = "legacy-ci"
# }
#
# moved {
#   from = ngrok_bot_user.legacy
#   to   = ngrok_service_user.legacy
# }
