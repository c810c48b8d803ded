terraform {
  required_providers {
    ngrok = {
      source  = "seed-66e0ccfd/ngrok"
      version = ">= 0.1.0"
    }
    # For the migration run only: Terraform loads every provider the state
    # names, and the state still names ngrok/ngrok. Keep the version you used;
    # remove this entry after the apply.
    ngrok-legacy = {
      source  = "ngrok/ngrok"
      version = "0.6.0"
    }
  }
}

# Same type, same name: nothing to write. The resource now belongs to the
# provider named "ngrok" above, which adopts the state ngrok/ngrok wrote.
resource "ngrok_service_user" "ci" {
  name = "ci-deploy"
}

# A bot user becomes a service user: same user, same ID, same credentials.
resource "ngrok_service_user" "legacy" {
  name = "legacy-deployer"
}

moved {
  from = ngrok_bot_user.legacy
  to   = ngrok_service_user.legacy
}
