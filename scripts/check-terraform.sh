#!/usr/bin/env bash
# Fails unless a Terraform CLI >= 1.11, the oldest the provider supports, is on PATH. This project never downloads
# Terraform: tests, docs generation and the demo use the one installed.
set -euo pipefail

want="Terraform 1.11.4 (>= 1.11, the oldest the provider supports) must be on PATH; this project never downloads it. Install it (https://developer.hashicorp.com/terraform/install) and retry."

if ! command -v terraform >/dev/null 2>&1; then
	echo "error: terraform not found. $want" >&2
	exit 1
fi

version="$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"
IFS=. read -r major minor _ <<<"${version:-0.0.0}"
if ((major < 1 || (major == 1 && minor < 11))); then
	echo "error: $(command -v terraform) is Terraform ${version:-of unknown version}. $want" >&2
	exit 1
fi
