#!/usr/bin/env bash
# Fails when docs/ differs from what tfplugindocs generates from the provider
# schema, templates/ and examples/ (that is, someone forgot `make generate`).
# The schema is OpenTofu's (TOFU), as in make generate.
set -euo pipefail
cd "$(dirname "$0")/.."

# TFPLUGINDOCS is a command line: the GNUmakefile's runs the pinned go tool.
read -ra tfplugindocs <<<"${TFPLUGINDOCS:-go tool -modfile=$PWD/tools/go.mod tfplugindocs}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# tfplugindocs joins --rendered-website-dir onto the provider directory, so the
# temporary directory is reached by climbing to / first. Extra ".." are
# harmless (they stop at /), so count the components of both the logical and
# the physical working directory.
up="$(printf '%s/%s' "$PWD" "$(pwd -P)" | sed 's#[^/][^/]*#..#g; s#//*#/#g; s#^/##')"
rel="${up%/}/${tmp#/}/docs"

bash scripts/providers-schema.sh "$tmp/schema.json"
if ! "${tfplugindocs[@]}" generate --provider-name ngrok --providers-schema "$tmp/schema.json" --rendered-website-dir "$rel" >"$tmp/generate.log" 2>&1; then
	cat "$tmp/generate.log" >&2
	echo "tfplugindocs generate failed" >&2
	exit 1
fi

if ! diff -ru docs "$tmp/docs"; then
	echo "docs/ is stale: run make generate" >&2
	exit 1
fi
echo "docs/ matches the schema, templates/ and examples/"
