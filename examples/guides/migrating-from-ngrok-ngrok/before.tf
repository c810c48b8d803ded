terraform {
  required_providers {
    ngrok = {
      source  = "ngrok/ngrok"
      version = "0.6.0"
    }
  }
}

resource "ngrok_service_user" "ci" {
  name = "ci-deploy"
}

# ngrok/ngrok v0.7 and earlier only.
resource "ngrok_bot_user" "legacy" {
  name = "legacy-deployer"
}
