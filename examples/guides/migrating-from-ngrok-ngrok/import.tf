# In place of the moved block: adopt the user by its ID. The resource block
# ngrok_service_user.legacy stays as it is.
import {
  to = ngrok_service_user.legacy
  id = "bot_1yG0wmTIsXRUrq9qR2sPzqFw4hG"
}
