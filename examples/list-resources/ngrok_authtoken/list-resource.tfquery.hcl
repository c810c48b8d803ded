# The agent authtokens whose description marks them as made for CI, with
# their bind rules.
list "ngrok_authtoken" "ci" {
  provider         = ngrok
  include_resource = true

  config {
    filter = "obj.description.startsWith(\"ci-\")"
  }
}
