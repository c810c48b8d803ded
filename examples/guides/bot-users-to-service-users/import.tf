# A bot user created outside Terraform, in the dashboard or by a script. Its ID
# is in the dashboard, or in the ngrok_users data source.
import {
  to = ngrok_service_user.legacy
  id = "bot_2bF5Hk0hNmRmG3cIsoCr4jT6Wg9"
}

resource "ngrok_service_user" "legacy" {
  name = "legacy-deployer"
}
