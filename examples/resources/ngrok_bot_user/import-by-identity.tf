import {
  to = ngrok_bot_user.legacy
  identity = {
    id = "bot_2aBcDeFgHiJkLmNoPqRsTuVwXyZ"
  }
}

resource "ngrok_bot_user" "legacy" {
  name = "legacy-deployer"
}
