resource "ngrok_service_user" "edge" {
  name = "edge-agents"
}

# The authtoken the edge agents log in with, allowed to serve only the
# company's own domains. Rotate it on demand by changing rotate_triggers.
resource "ngrok_authtoken" "edge" {
  owner_id    = ngrok_service_user.edge.id
  description = "edge agents"
  acl         = ["bind:*.example.com", "bind:example.ngrok.app"]

  rotate_triggers = {
    rotated_on = "2026-12-01"
  }

  lifecycle {
    create_before_destroy = true
  }
}

output "edge_authtoken" {
  value     = ngrok_authtoken.edge.token
  sensitive = true
}
