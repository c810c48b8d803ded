# Nightly, on Terraform 1.14 and later: fails (exit 1) naming every identity
# that nobody manages, or when the query itself fails. terraform query
# reports each identity it finds as a "list_resource_found" line of its JSON
# output.
set -euo pipefail
out="$(terraform query -json)"
found="$(grep '"type":"list_resource_found"' <<<"$out" || true)"
if [ -n "$found" ]; then
  echo "Identities that no configuration manages:"
  sed -n 's/.*"address":"\([^"]*\)","display_name":"\([^"]*\)","identity":{"id":"\([^"]*\)".*/  \1: \2 (\3)/p' <<<"$found"
  exit 1
fi
echo "Every identity of the account is managed."
