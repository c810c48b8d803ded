# A service user for the deploy pipeline.
resource "ngrok_service_user" "ci" {
  name = "ci-deploy"
}

# A user kept but disabled: its credentials remain attached and stop working.
resource "ngrok_service_user" "retired" {
  name   = "legacy-agent"
  active = false
}

# One user per pipeline.
resource "ngrok_service_user" "pipelines" {
  for_each = toset(["ci-test", "ci-release"])

  name = each.key

  timeouts {
    create = "30m"
  }
}
