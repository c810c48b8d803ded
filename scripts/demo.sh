#!/usr/bin/env bash
# The offline quickstart (make demo): builds the provider into a filesystem
# mirror, starts the emulator, and runs examples/quickstart through init,
# apply, a drift-free second plan and destroy. Needs Go, curl and the CLI in
# TF_CLI: terraform (default) or tofu (OpenTofu); contacts no registry and no
# ngrok account. With TF_CLI_SWITCH set to the other CLI, that CLI takes over
# the state after the apply, and then hands it back (make test-cli-switch).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

VERSION="${VERSION:-0.1.0}"
cli="${TF_CLI:-terraform}"
switch="${TF_CLI_SWITCH:-}"
# The quickstart's source "seed-66e0ccfd/ngrok" means this address on
# Terraform and the second on OpenTofu; the mirror serves both.
source_addrs=("registry.terraform.io/seed-66e0ccfd/ngrok" "registry.opentofu.org/seed-66e0ccfd/ngrok")
demo="$root/.demo"
goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
exe=""
[[ "$goos" == windows ]] && exe=".exe"

step() { printf '\n==> %s\n' "$*"; }

# registry_host is where the quickstart's short source points for a CLI.
registry_host() {
	case "$(basename "$1")" in
	tofu) echo registry.opentofu.org ;;
	*) echo registry.terraform.io ;;
	esac
}

if ! command -v curl >/dev/null 2>&1; then
	echo "error: curl not found: the demo calls the emulator with the API key it creates (apt-get install curl)" >&2
	exit 1
fi
for c in "$cli" ${switch:+"$switch"}; do
	case "$(basename "$c")" in
	terraform) bash scripts/check-terraform.sh ;;
	*)
		if ! command -v "$c" >/dev/null 2>&1; then
			echo "error: $c not found (make tofu builds OpenTofu into $(go env GOPATH)/bin)" >&2
			exit 1
		fi
		;;
	esac
	echo "CLI: $(command -v "$c") ($("$c" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'))"
done

emulator_pid=""
env_file="$demo/emulator.env"
cleanup() {
	local rc=$?
	if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
		kill -TERM "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
	fi
	rm -f "$env_file" # it holds the API key
	if ((rc != 0)); then
		echo "demo FAILED (exit $rc); emulator log: $demo/emulator.log, work dir: $demo/work" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT

rm -rf "$demo"
mkdir -p "$demo"

step "building terraform-provider-ngrok $VERSION into the filesystem mirror"
mirror="$demo/mirror"
binary="terraform-provider-ngrok_v$VERSION$exe"
built=""
for addr in "${source_addrs[@]}"; do
	plugin_dir="$mirror/$addr/$VERSION/${goos}_${goarch}"
	mkdir -p "$plugin_dir"
	if [[ -z "$built" ]]; then
		go build -trimpath -ldflags "-X main.version=$VERSION" -o "$plugin_dir/$binary" .
		built="$plugin_dir/$binary"
	else
		cp "$built" "$plugin_dir/$binary"
	fi
	echo "$plugin_dir/$binary"
done

# This provider comes only from the mirror, never from a registry; any other
# provider would be installed as usual (the quickstart needs none).
addrs="$(printf '"%s", ' "${source_addrs[@]}")"
addrs="[${addrs%, }]"
cat >"$demo/terraformrc" <<HCL
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = $addrs
  }
  direct {
    exclude = $addrs
  }
}
HCL
export TF_CLI_CONFIG_FILE="$demo/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE

step "building and starting the emulator"
go build -o bin/ngrok-emulator$exe ./internal/emulator/cmd/ngrok-emulator
# stdout carries the API key: keep it off the terminal.
bin/ngrok-emulator$exe -addr 127.0.0.1:0 -env-file "$env_file" -quiet >/dev/null 2>"$demo/emulator.log" &
emulator_pid=$!

for _ in $(seq 1 100); do
	[[ -s "$env_file" ]] && break
	if ! kill -0 "$emulator_pid" 2>/dev/null; then
		cat "$demo/emulator.log" >&2
		echo "the emulator exited before it was listening" >&2
		exit 1
	fi
	sleep 0.1
done
if [[ ! -s "$env_file" ]]; then
	echo "the emulator did not write $env_file within 10s" >&2
	exit 1
fi
# shellcheck disable=SC1090
source "$env_file"
if [[ -z "${NGROK_API_BASE_URL:-}" || -z "${NGROK_API_KEY:-}" ]]; then
	echo "$env_file did not set NGROK_API_BASE_URL and NGROK_API_KEY" >&2
	exit 1
fi
export NGROK_API_BASE_URL NGROK_API_KEY
echo "emulator (pid $emulator_pid) listening at $NGROK_API_BASE_URL"

# Colour codes only help on a terminal.
[[ -t 1 ]] || export TF_CLI_ARGS="-no-color"

work="$demo/work"
cp -R examples/quickstart "$work"
cd "$work"

step "$cli init"
"$cli" init -input=false

step "$cli apply"
"$cli" apply -auto-approve -input=false | tee "$demo/apply.log"
# The tokens ngrok shows once are kept in state, but never printed.
if ! grep -q 'token *= (sensitive value)' "$demo/apply.log"; then
	echo "the plan did not show the credentials' tokens as (sensitive value)" >&2
	exit 1
fi
for name in deploy_api_key deploy_authtoken; do
	if grep -qF "$("$cli" output -raw "$name")" "$demo/apply.log"; then
		echo "the apply printed the $name token" >&2
		exit 1
	fi
done
echo "the tokens are in state and shown only as (sensitive value)"

step "$cli output"
"$cli" output

step "the new API key works: calling the emulator as the ci-deploy service user"
status="$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $("$cli" output -raw deploy_api_key)" \
	-H "Ngrok-Version: 2" "$NGROK_API_BASE_URL/service_users?limit=1")"
if [[ "$status" != 200 ]]; then
	echo "GET /service_users with the new API key answered $status, want 200" >&2
	exit 1
fi
echo "GET /service_users with deploy_api_key: HTTP $status"

# expect_no_changes runs a plan with the CLI $1 that must find nothing to do.
expect_no_changes() {
	local c="$1" what="$2" plan_rc
	set +e
	"$c" plan -detailed-exitcode -input=false
	plan_rc=$?
	set -e
	case "$plan_rc" in
	0) echo "$what: no changes" ;;
	2)
		echo "$what: FAILED, it wants changes (the provider is not converging)" >&2
		exit 1
		;;
	*)
		echo "$what: FAILED with exit code $plan_rc" >&2
		exit 1
		;;
	esac
}

# init_with starts the working directory afresh for the CLI $1: the other
# CLI's lock file names the provider at its own registry host.
init_with() {
	rm -rf .terraform .terraform.lock.hcl
	"$1" init -input=false
}

step "$cli plan -detailed-exitcode (must find nothing to change)"
expect_no_changes "$cli" "second plan"

if [[ -n "$switch" ]]; then
	sw="$(basename "$switch")"
	step "$sw takes over the state $cli wrote"
	init_with "$switch"
	expect_no_changes "$switch" "$sw's first plan"
	# Writes the state back under $sw's registry host, with identities
	# where $switch stores them.
	"$switch" apply -auto-approve -input=false
	managed="$("$switch" show -json | grep -o '"mode":"managed"' | wc -l)"
	if [[ "$sw" == tofu ]]; then
		identities="$("$switch" show -json | grep -o '"identity":{"id":"[a-z]*_[0-9A-Za-z]*"}' | wc -l)"
		if ((identities != managed)); then
			echo "$sw stored $identities identities for $managed managed resources" >&2
			exit 1
		fi
		echo "$sw stored an identity for each of the $managed managed resources"
	fi

	step "$cli takes the state back"
	"$cli" state replace-provider -auto-approve "$(registry_host "$switch")/seed-66e0ccfd/ngrok" "$(registry_host "$cli")/seed-66e0ccfd/ngrok"
	init_with "$cli"
	expect_no_changes "$cli" "$cli's plan after the round trip"
fi

step "$cli destroy"
"$cli" destroy -auto-approve -input=false

step "demo complete"
