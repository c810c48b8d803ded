# An authtoken for the length of one run, such as an integration test that
# starts an agent: revoked when the run ends, never stored in state.
ephemeral "ngrok_authtoken" "test_agent" {
  owner_id    = ngrok_service_user.ci.id
  description = "integration test agent"
  acl         = ["bind:test.example.ngrok.app"]
}
