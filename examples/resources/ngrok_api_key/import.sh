# Import an API key by its ID. ngrok shows a token only once, so token is null
# after an import; `terraform apply -replace=ngrok_api_key.ci` makes a new one.
terraform import ngrok_api_key.ci ak_2Ym0JqvZKCkqbEDNIuCFxJkBZPu
