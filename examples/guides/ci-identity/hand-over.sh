# After each apply, hand the secrets to the CI system (here GitHub Actions).
# -raw prints the value alone, without quotes; nothing is echoed.
terraform output -raw authtoken | gh secret set NGROK_AUTHTOKEN
terraform output -raw api_key | gh secret set NGROK_API_KEY
