import {
  to = ngrok_service_user.ci
  identity = {
    id = "service_32ELIFubEAAGUeRtreNW6kr94Od"
  }
}

resource "ngrok_service_user" "ci" {
  name = "ci-deploy"
}
