#!/usr/bin/env bash
# Writes the provider's schema, as `providers schema -json` prints it, to the
# file named by $1, for tfplugindocs --providers-schema. It asks OpenTofu
# (TOFU, built by make tofu), not Terraform 1.11: a CLI older than 1.12 leaves
# out the resource identity schemas, and the docs then cannot show them.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:?usage: providers-schema.sh OUTPUT.json}"
tofu="${TOFU:-tofu}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# tfplugindocs builds the provider as hashicorp/ngrok; so does this, at the
# host OpenTofu gives that short name.
plugin_dir="$tmp/plugins/registry.opentofu.org/hashicorp/ngrok/0.0.1/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$plugin_dir"
go build -o "$plugin_dir/terraform-provider-ngrok" .
printf 'provider "ngrok" {\n}\n' >"$tmp/provider.tf"
# An empty CLI configuration: a missing or personal one would add warnings to
# stdout, in the middle of the JSON.
: >"$tmp/tofurc"
export TF_CLI_CONFIG_FILE="$tmp/tofurc" CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS

(cd "$tmp" && "$tofu" init -input=false -no-color -plugin-dir=./plugins >"$tmp/init.log" 2>&1) || {
	cat "$tmp/init.log" >&2
	echo "error: $tofu init failed" >&2
	exit 1
}
# tfplugindocs looks the provider up by its Terraform address.
(cd "$tmp" && "$tofu" providers schema -json) |
	sed 's#"registry.opentofu.org/hashicorp/ngrok"#"registry.terraform.io/hashicorp/ngrok"#' >"$out"
