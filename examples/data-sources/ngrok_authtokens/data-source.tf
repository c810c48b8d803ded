# The authtokens a CEL expression selects, evaluated by the API: those whose
# description starts with "edge-", whoever owns them.
data "ngrok_authtokens" "edge" {
  filter = "obj.description.startsWith(\"edge-\")"
}

# What each of them may bind, by ID. An empty set means no restriction.
output "edge_authtoken_acls" {
  value = { for t in data.ngrok_authtokens.edge.authtokens : t.id => t.acl }
}
