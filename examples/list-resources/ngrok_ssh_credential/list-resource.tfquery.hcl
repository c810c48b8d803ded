# Every SSH key of the account, each named by its description and owner.
list "ngrok_ssh_credential" "all" {
  provider = ngrok
  limit    = 500
}
