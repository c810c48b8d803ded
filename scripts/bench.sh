#!/usr/bin/env bash
# make bench: the Go benchmarks of the client's hot paths, then the
# end-to-end benchmark (internal/bench/cmd/e2ebench: the real provider binary,
# terraform and the in-process emulator with latency and a scaled rate limit),
# and the results written into the generated section of BENCHMARKS.md.
#
#   make bench                     full run (N = 100 and 1,000; about 25 minutes)
#   BENCH_QUICK=1 make bench       N = 100 only, 1,000 users for ngrok_users and terraform query, creates of 10 and 40, a plan of 100 (about 3 minutes);
#                                  writes .bench/BENCHMARKS.quick.md, not BENCHMARKS.md
#   BENCH_SCALE=8                  time compression S: 120×S requests per rolling 60 s (default 8)
#   BENCH_SIZES=100,1000           numbers N of managed users
#   BENCH_DATA_SIZES=1000,10000    numbers of users the ngrok_users data source reads
#   BENCH_QUERY_SIZES=10000        numbers of users terraform query lists, with include_resource false and true
#   TF_LATEST=path                 the Terraform (1.14 or later) that runs terraform query; make bench
#                                  builds and passes it; without it the query is skipped, and the report says so
#   BENCH_OUT=path.md              where to write the results
#
# Besides the scenarios at scale S, it creates N = 10, 40, 100, 200, 1,000
# users at ngrok's real limit (paced and not), plans 1,000 users with pacing on
# and off, and runs three applies of 50 users at once on one account with the
# limit's window compressed 10x (e2ebench -pacing-sizes, -plan-users,
# -parallel pick them: "none" skips sizes or applies, -plan-users 0 the plan).
#
# Everything runs on 127.0.0.1; nothing is downloaded. Scratch files (the
# provider binary, Terraform working directories, logs, results.json) go to
# .bench/, which is git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

quick="${BENCH_QUICK:-0}"
scale="${BENCH_SCALE:-8}"
work="$root/.bench"
if [[ "$quick" == 1 ]]; then
	out="${BENCH_OUT:-$work/BENCHMARKS.quick.md}"
else
	out="${BENCH_OUT:-$root/BENCHMARKS.md}"
fi

# How to reproduce this run, for the report.
command="make bench"
for var in BENCH_QUICK BENCH_SCALE BENCH_SIZES BENCH_DATA_SIZES BENCH_QUERY_SIZES; do
	if [[ -n "${!var:-}" ]]; then
		command="$var=${!var} $command"
	fi
done

step() { printf '\n==> %s\n' "$*"; }

bash scripts/check-terraform.sh
mkdir -p "$work"

step "Go benchmarks: go test -run '^\$' -bench . -benchmem ./internal/..."
go test -run '^$' -bench . -benchmem -count 1 -timeout 20m ./internal/... | tee "$work/gobench.txt"

step "end-to-end benchmark (scale S = $scale)"
go build -o "$work/e2ebench" ./internal/bench/cmd/e2ebench
args=(
	-root "$root"
	-work "$work/e2e"
	-scale "$scale"
	-go-bench "$work/gobench.txt"
	-json "$work/results.json"
	-markdown "$out"
	-command "$command"
	-terraform-latest "${TF_LATEST:-}"
)
[[ "$quick" == 1 ]] && args+=(-quick)
[[ -n "${BENCH_SIZES:-}" ]] && args+=(-sizes "$BENCH_SIZES")
[[ -n "${BENCH_DATA_SIZES:-}" ]] && args+=(-data-sizes "$BENCH_DATA_SIZES")
[[ -n "${BENCH_QUERY_SIZES:-}" ]] && args+=(-query-sizes "$BENCH_QUERY_SIZES")
# exec: a Ctrl-C reaches the driver itself, which stops what it started.
exec "$work/e2ebench" "${args[@]}"
