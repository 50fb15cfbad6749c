#!/bin/sh
# Runs the side-by-side benchmarks and prints the tables of
# docs/benchmarks.md. One command, a few minutes:
#
#   bench/run.sh                  # ROUNDS=5 SCALING_ROUNDS=3 by default
#
# The test binary is built once. Times come from BenchmarkInterleaved,
# which calls the contestants in turn, one call each, so that they share
# whatever load the machine has; each scaling round runs every contestant
# once, in turn.
# Raw output goes to $OUT (bench/results/latest.txt), the tables to stdout.
set -eu
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-5}
SCALING_ROUNDS=${SCALING_ROUNDS:-3}
OUT=${OUT:-results/latest.txt}

go vet ./...
go test -count=1 -run . ./... # every contestant succeeds with a verified answer

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" .
mkdir -p "$(dirname "$OUT")"
: >"$OUT"
i=1
while [ "$i" -le "$ROUNDS" ]; do
	echo "round $i/$ROUNDS: per request" >&2
	# Times: every contestant call by call, in one rotation.
	"$tmp/bench.test" -test.run='^$' -test.bench='^BenchmarkInterleaved$' -test.benchtime=3s >>"$OUT"
	# Allocations and bytes (exact counts, not load-sensitive).
	"$tmp/bench.test" -test.run='^$' -test.bench='^Benchmark(Post|Get|Callback)$' -test.benchmem -test.benchtime=200x >>"$OUT"
	i=$((i + 1))
done
i=1
while [ "$i" -le "$SCALING_ROUNDS" ]; do
	echo "round $i/$SCALING_ROUNDS: scaling" >&2
	"$tmp/bench.test" -test.run='^$' -test.bench='^BenchmarkScaling$' -test.benchmem -test.benchtime=2s >>"$OUT"
	i=$((i + 1))
done
go run ./cmd/benchtable "$OUT"
