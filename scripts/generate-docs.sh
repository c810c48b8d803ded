#!/usr/bin/env bash
# Renders docs/ with tfplugindocs from the provider schema, templates/ and
# examples/. The schema is the newest Terraform's (TF_LATEST): Terraform 1.11
# leaves out resource identity and list resources.
set -euo pipefail
cd "$(dirname "$0")/.."

# TFPLUGINDOCS is a command line: the GNUmakefile's runs the pinned go tool.
read -ra tfplugindocs <<<"${TFPLUGINDOCS:-go tool -modfile=$PWD/tools/go.mod tfplugindocs}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

bash scripts/providers-schema.sh "$tmp/schema.json"
"${tfplugindocs[@]}" generate --provider-name ngrok --providers-schema "$tmp/schema.json"
