#!/usr/bin/env bash
# Builds OpenTofu TOFU_VERSION from the Go module proxy into TOFU (make tofu),
# unless a tofu of that version is already there. OpenTofu publishes its
# source as a Go module, so this needs nothing but Go: no release download,
# no registry. It takes about four minutes on two CPUs, once.
set -euo pipefail

: "${TOFU_VERSION:?}" "${TOFU:?}"

if [[ -x "$TOFU" ]]; then
	have="$("$TOFU" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"
	# A build from the module proxy reports itself as X.Y.Z-dev.
	if [[ "${have%-dev}" == "${TOFU_VERSION#v}" ]]; then
		exit 0
	fi
	echo "==> $TOFU is OpenTofu ${have:-of unknown version}, not ${TOFU_VERSION#v}: rebuilding it"
fi

echo "==> building OpenTofu $TOFU_VERSION from the Go module proxy into $TOFU (about 4 minutes, once)"
# Outside any module, so that the download cannot touch this project's go.mod.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dir="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [[ -z "$dir" || ! -d "$dir" ]]; then
	echo "error: go mod download did not give a source directory for github.com/opentofu/opentofu@$TOFU_VERSION" >&2
	exit 1
fi
mkdir -p "$(dirname "$TOFU")"
# Build next to the target and rename, so an interrupted build never leaves
# a half-written tofu that the check above would have to second-guess.
(cd "$dir" && go build -o "$TOFU.tmp" ./cmd/tofu)
mv -f "$TOFU.tmp" "$TOFU"
"$TOFU" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/OpenTofu \1/p'
