#!/usr/bin/env bash
# The full benchmark suite (issue 6): every group with its full duration, exported as influx
# CSV to Benchmarks/results/full/, then the per-operation table and the ratio targets.
# Exits with the gate's status (1 when a ratio target is missed).
#
#   Benchmarks/bench.sh                    # all groups
#   Benchmarks/bench.sh --target Open      # extra arguments go to `swift package benchmark`
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
if ! pkg-config --exists libsodium 2>/dev/null; then
    echo "libsodium is missing: sudo apt-get install -y libsodium-dev pkg-config (or: make deps)" >&2
    exit 2
fi
out="$here/results/full"
rm -rf "$out"
mkdir -p "$out"
echo "== full benchmark run on $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(date -u +%FT%TZ)"
swift package --scratch-path "$here/.build" --allow-writing-to-package-directory \
    benchmark --format influx --path "$out" --no-progress "$@" 2>&1 | tee "$out/run.log" | grep -v '^\[' || true
[[ -f "$out/Current_run.influx.csv" ]] || { echo "bench: no results written" >&2; exit 2; }
grep -m1 "token .* B, claims" "$out/run.log" | sed 's/^[A-Za-z]*: /fixture: /' || true
exec "$here/bench-check.sh" --csv "$out/Current_run.influx.csv"
