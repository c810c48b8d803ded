#!/usr/bin/env bash
# Fails when docs/ differs from what tfplugindocs generates from the provider
# schema, templates/ and examples/ (that is, someone forgot `make generate`).
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if ! bash scripts/generate-docs.sh "$tmp/docs" >"$tmp/generate.log" 2>&1; then
	cat "$tmp/generate.log" >&2
	echo "tfplugindocs generate failed" >&2
	exit 1
fi

if ! diff -ru docs "$tmp/docs"; then
	echo "docs/ is stale: run make generate" >&2
	exit 1
fi
echo "docs/ matches the schema, templates/ and examples/"
