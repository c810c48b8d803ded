# Every identity of the account that nobody manages: each list leaves out
# what this configuration manages and the allow-list. Users created as bot
# users are service users too.
list "ngrok_service_user" "unmanaged" {
  provider         = ngrok
  include_resource = true
  limit            = 1000

  config {
    include_bot_users = true
    exclude_ids       = local.managed_ids
  }
}

list "ngrok_api_key" "unmanaged" {
  provider         = ngrok
  include_resource = true
  limit            = 1000

  config {
    exclude_ids = local.managed_ids
  }
}

list "ngrok_authtoken" "unmanaged" {
  provider         = ngrok
  include_resource = true
  limit            = 1000

  config {
    exclude_ids = local.managed_ids
  }
}

list "ngrok_ssh_credential" "unmanaged" {
  provider         = ngrok
  include_resource = true
  limit            = 1000

  config {
    exclude_ids = local.managed_ids
  }
}
