# Import an existing service user by its ID (legacy bot_… IDs are accepted too).
terraform import ngrok_service_user.ci service_32ELIFubEAAGUeRtreNW6kr94Od
