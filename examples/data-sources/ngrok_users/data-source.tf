# Every service user of the account, newest first.
data "ngrok_users" "all" {}

# Filtered locally: active users whose names start with "ci-".
data "ngrok_users" "ci" {
  name_regex = "^ci-"
  active     = true
}

# Filtered by the API with a CEL expression over obj.
data "ngrok_users" "agents" {
  filter = "obj.name.startsWith(\"agent-\") && obj.active"
}

# Users with exactly this name (names need not be unique).
data "ngrok_users" "deploy" {
  name = "ci-deploy"
}

output "inactive_user_names" {
  value = [for u in data.ngrok_users.all.users : u.name if !u.active]
}

output "ci_user_ids" {
  value = data.ngrok_users.ci.ids
}
