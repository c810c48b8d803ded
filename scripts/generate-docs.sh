#!/usr/bin/env bash
# Renders the docs with tfplugindocs from the provider schema, templates/ and
# examples/: into docs/, or into the directory given (an absolute path), which
# check-docs.sh compares with docs/. The schema is OpenTofu's (TOFU):
# Terraform 1.11 leaves out resource identity.
set -euo pipefail
cd "$(dirname "$0")/.."

# TFPLUGINDOCS is a command line: the GNUmakefile's runs the pinned go tool.
read -ra tfplugindocs <<<"${TFPLUGINDOCS:-go tool -modfile=$PWD/tools/go.mod tfplugindocs}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

args=(generate --provider-name ngrok --providers-schema "$tmp/schema.json")
if [[ $# -gt 0 ]]; then
	[[ "$1" == /* ]] || { echo "generate-docs.sh: $1 is not an absolute path" >&2; exit 1; }
	# tfplugindocs joins --rendered-website-dir onto the provider directory,
	# so the directory is reached by climbing to / first. Extra ".." are
	# harmless (they stop at /), so count the components of both the logical
	# and the physical working directory.
	up="$(printf '%s/%s' "$PWD" "$(pwd -P)" | sed 's#[^/][^/]*#..#g; s#//*#/#g; s#^/##')"
	args+=(--rendered-website-dir "${up%/}/${1#/}")
fi

bash scripts/providers-schema.sh "$tmp/schema.json"
"${tfplugindocs[@]}" "${args[@]}"
