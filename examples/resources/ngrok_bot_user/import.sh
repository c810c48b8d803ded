# Import an existing bot user by its ID.
terraform import ngrok_bot_user.legacy bot_2aBcDeFgHiJkLmNoPqRsTuVwXyZ
