resource "ngrok_service_user" "bastion" {
  name = "bastion"
}

# The bastion host starts tunnels over SSH with this key instead of running
# the ngrok agent. Only the public key is sent to ngrok; a new comment in the
# file changes nothing, a new key replaces the credential.
resource "ngrok_ssh_credential" "bastion" {
  owner_id    = ngrok_service_user.bastion.id
  description = "bastion host"
  public_key  = file("${path.module}/bastion.pub")
  acl         = ["bind:bastion.example.com"]
}
