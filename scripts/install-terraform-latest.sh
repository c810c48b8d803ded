#!/usr/bin/env bash
# Builds Terraform TF_LATEST_VERSION from the Go module proxy into
# TF_LATEST (make terraform-latest), unless a terraform of that version is
# already there. Release downloads are unreachable here, and the module zip
# lacks nine remote-state backends (and internal/legacy) that its go.mod
# replaces by local paths, so they are cut out first: the result is a test
# CLI, complete but for the azurerm, consul, cos, gcs, kubernetes, oci, oss,
# pg and s3 state backends, which no test here uses. It takes about five
# minutes on two CPUs, once.
set -euo pipefail

: "${TF_LATEST_VERSION:?}" "${TF_LATEST:?}"
note="a test build: it lacks the azurerm, consul, cos, gcs, kubernetes, oci, oss, pg and s3 state backends"

if [[ -x "$TF_LATEST" ]]; then
	have="$("$TF_LATEST" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"
	if [[ "$have" == "${TF_LATEST_VERSION#v}" ]]; then
		exit 0
	fi
	echo "==> $TF_LATEST is Terraform ${have:-of unknown version}, not ${TF_LATEST_VERSION#v}: rebuilding it"
fi

echo "==> building Terraform $TF_LATEST_VERSION from the Go module proxy into $TF_LATEST (about 5 minutes, once)"
echo "    $note"
module=github.com/hashicorp/terraform
tmp="$(mktemp -d)"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# Outside any module, so that the download cannot touch this project's go.mod.
dir="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$module@$TF_LATEST_VERSION" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [[ -z "$dir" || ! -d "$dir" ]]; then
	echo "error: go mod download did not give a source directory for $module@$TF_LATEST_VERSION" >&2
	exit 1
fi
src="$tmp/terraform"
cp -R "$dir" "$src"
chmod -R u+w "$src"

# Every module the go.mod replaces by a local path is absent from the zip.
mapfile -t local_modules < <(sed -n -E 's#^replace[[:space:]]+([^[:space:]]+)[[:space:]]+=>[[:space:]]+\./.*#\1#p' "$src/go.mod")
if [[ ${#local_modules[@]} -eq 0 ]]; then
	echo "error: found no local replace directives in $module@$TF_LATEST_VERSION's go.mod; the recipe needs a look" >&2
	exit 1
fi
edits=()
for m in "${local_modules[@]}"; do
	edits+=("-dropreplace=$m" "-droprequire=$m")
done
go -C "$src" mod edit "${edits[@]}"

# The backends those modules held: their imports and their entries in the map.
init="$src/internal/backend/init/init.go"
for b in azure consul cos gcs kubernetes oci oss pg s3; do
	grep -q "remote-state/$b\"" "$init" || { echo "error: $init no longer imports the $b backend; the recipe needs a look" >&2; exit 1; }
done
sed -i -E \
	-e '/"github.com\/hashicorp\/terraform\/internal\/backend\/remote-state\/(azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3)"/d' \
	-e '/^[[:space:]]*"(azurerm|consul|cos|gcs|kubernetes|oss|pg|s3|oci)":[[:space:]]*func\(\)/d' \
	"$init"

mkdir -p "$(dirname "$TF_LATEST")"
# Build next to the target and rename, so an interrupted build never leaves a
# half-written binary that the check above would have to second-guess.
(cd "$src" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-X $module/version.dev=no" -o "$TF_LATEST.tmp" .)
mv -f "$TF_LATEST.tmp" "$TF_LATEST"
echo "$("$TF_LATEST" version | sed -n 1p) at $TF_LATEST: $note"
