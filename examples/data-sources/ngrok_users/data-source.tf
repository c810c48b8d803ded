# Every service user of the account, newest first.
data "ngrok_users" "all" {}

# Active users whose names start with "ci-". Like every filter, these are sent
# to the API in one CEL expression, here
#   obj.name.matches("^ci-") && obj.active == true
# so the API's CEL support decides what it accepts; the provider checks name,
# name_regex and active again on the users that come back.
data "ngrok_users" "ci" {
  name_regex = "^ci-"
  active     = true
}

# A CEL expression of your own over obj, evaluated by the API alone.
data "ngrok_users" "agents" {
  filter = "obj.name.startsWith(\"agent-\") && obj.active"
}

# Users with exactly this name (names need not be unique), sent to the API as
#   obj.name == "ci-deploy"
data "ngrok_users" "deploy" {
  name = "ci-deploy"
}

output "inactive_user_names" {
  value = [for u in data.ngrok_users.all.users : u.name if !u.active]
}

output "ci_user_ids" {
  value = data.ngrok_users.ci.ids
}
