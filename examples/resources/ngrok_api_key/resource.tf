resource "ngrok_service_user" "ci" {
  name = "ci-deploy"
}

# The key the deploy pipeline calls the ngrok API with, acting as the service
# user. It is due for rotation after 90 days: from then on the nightly
# `terraform plan -detailed-exitcode` shows its replacement, and
# create_before_destroy makes the new key before the old one is revoked.
resource "ngrok_api_key" "ci" {
  owner_id     = ngrok_service_user.ci.id
  description  = "CI deploys"
  metadata     = jsonencode({ team = "platform" })
  rotate_after = "90d"

  lifecycle {
    create_before_destroy = true
  }
}

# Hand the key to the CI system's secret store:
#   terraform output -raw ci_api_key | gh secret set NGROK_API_KEY
output "ci_api_key" {
  value     = ngrok_api_key.ci.token
  sensitive = true
}
