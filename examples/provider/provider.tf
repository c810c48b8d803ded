# Configure the provider from the environment:
#   export NGROK_API_KEY='...'   # an API key from the ngrok dashboard, not an authtoken
provider "ngrok" {
  # Every attribute is optional; each falls back to an environment variable.

  # api_key = var.ngrok_api_key # NGROK_API_KEY

  # api_base_url = "https://api.ngrok.com" # NGROK_API_BASE_URL; http only for loopback hosts, e.g. the emulator

  # max_requests_per_minute = 120 # NGROK_MAX_REQUESTS_PER_MINUTE; lower it when other tools share the account

  # max_retries = 8 # NGROK_MAX_RETRIES; 0 disables retries

  # refresh_mode = "auto" # NGROK_REFRESH_MODE; "auto", "get" or "list"
}
