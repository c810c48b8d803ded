#!/usr/bin/env bash
# Runs every Go fuzz target (func Fuzz*) of the module, or of the packages
# given as arguments, for FUZZTIME each. `go test -fuzz` takes one target at a
# time, hence the loop.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-60s}"

if (($# > 0)); then
	pkgs=("$@")
else
	# Only packages with tests can have fuzz targets.
	pkgs=()
	while IFS= read -r pkg; do
		[[ -n "$pkg" ]] && pkgs+=("$pkg")
	done < <(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./...)
fi

count=0
for pkg in "${pkgs[@]}"; do
	listing="$(go test -list '^Fuzz' "$pkg")"
	for target in $(grep '^Fuzz' <<<"$listing" || true); do
		echo "==> fuzz $pkg $target for $fuzztime"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
		count=$((count + 1))
	done
done

if ((count == 0)); then
	echo "no fuzz targets found"
else
	echo "fuzzed $count target(s) for $fuzztime each"
fi
