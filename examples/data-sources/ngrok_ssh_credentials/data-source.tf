# The SSH keys one service user can start tunnels with
# (ssh -R 443:localhost:80 v2@connect.ngrok-agent.com http).
data "ngrok_ssh_credentials" "ci" {
  owner_id = ngrok_service_user.ci.id
}

# The same keys as an authorized_keys file, one per line, to compare with
# the keys the team expects that user to have.
output "ci_ssh_authorized_keys" {
  value = join("\n", [for c in data.ngrok_ssh_credentials.ci.ssh_credentials : c.public_key])
}
