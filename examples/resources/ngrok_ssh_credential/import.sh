# Import an SSH credential by its ID.
terraform import ngrok_ssh_credential.bastion sshcr_2Ym0JqvZKCkqbEDNIuCFxJkBZPu
