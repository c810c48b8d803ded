# Changing anything as the auditor fails: ngrok refuses the write.
resource "ngrok_service_user" "made_by_auditor" {
  provider = ngrok.auditor
  name     = "not-allowed"
}
