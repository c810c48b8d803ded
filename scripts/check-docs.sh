#!/usr/bin/env bash
# Fails when docs/ differs from what tfplugindocs generates from the provider
# schema, templates/ and examples/ (that is, someone forgot `make generate`):
# it generates docs/ in place, then asks git whether anything changed.
set -euo pipefail
cd "$(dirname "$0")/.."

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! bash scripts/generate-docs.sh >"$log" 2>&1; then
	cat "$log" >&2
	echo "tfplugindocs generate failed" >&2
	exit 1
fi

if ! git diff --exit-code -- docs/ || [[ -n "$(git status --porcelain -- docs/)" ]]; then
	git status --short -- docs/ >&2
	echo "docs/ is stale: run make generate, and commit docs/" >&2
	exit 1
fi
echo "docs/ matches the schema, templates/ and examples/"
