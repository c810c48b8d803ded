# Import an authtoken (ngrok's API calls it a credential) by its ID. Its token
# is null after an import; `terraform apply -replace` makes a new one.
terraform import ngrok_authtoken.edge cr_2Ym0JqvZKCkqbEDNIuCFxJkBZPu
