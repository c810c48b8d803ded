#!/usr/bin/env bash
# Writes the provider's schema, as `providers schema -json` prints it, to the
# file named by $1, for tfplugindocs --providers-schema. It asks the newest
# Terraform (TF_LATEST, built by make terraform-latest): Terraform 1.11 leaves
# out resource identity and list resources, and the docs then cannot show them.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:?usage: providers-schema.sh OUTPUT.json}"
terraform="${TF_LATEST:?TF_LATEST names the Terraform to ask (make terraform-latest builds it)}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# tfplugindocs looks the provider up as hashicorp/ngrok on the Terraform
# Registry; the schema is asked for under that address.
plugin_dir="$tmp/plugins/registry.terraform.io/hashicorp/ngrok/0.0.1/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$plugin_dir"
go build -o "$plugin_dir/terraform-provider-ngrok" .
printf 'provider "ngrok" {\n}\n' >"$tmp/provider.tf"
# An empty CLI configuration: a missing or personal one would add warnings to
# stdout, in the middle of the JSON.
: >"$tmp/terraformrc"
export TF_CLI_CONFIG_FILE="$tmp/terraformrc" CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE TF_CLI_ARGS

(cd "$tmp" && "$terraform" init -input=false -no-color -plugin-dir=./plugins >"$tmp/init.log" 2>&1) || {
	cat "$tmp/init.log" >&2
	echo "error: $terraform init failed" >&2
	exit 1
}
(cd "$tmp" && "$terraform" providers schema -json) >"$out"
