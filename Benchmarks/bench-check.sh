#!/usr/bin/env bash
# The benchmark gate (issue 6): a short `swift package benchmark` run of the whole suite,
# exported as package-benchmark's influx CSV, then every ratio target printed with its figures
# and PASS/FAIL. Exits 1 when any target is missed, 2 when the run itself fails.
#
# The wall-clock ratio targets are read from the Paired group (each sample times the library
# and its baseline back to back, baseline-library-library-baseline, and the gate takes the p50
# of those per-sample ratios): on a shared runner, two groups run a minute apart can differ by
# a third, which separate p50s would turn into the ratio. The separate-run ratios are printed
# beside them for reference.
#
#   Benchmarks/bench-check.sh                  # short run (BENCH_SHORT=1), then the gate
#   Benchmarks/bench-check.sh --csv FILE       # the gate on an existing export, no run
#
# Needs only Swift, libsodium (pkg-config) and bash + awk. Builds into Benchmarks/.build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

csv=""
if [[ "${1:-}" == "--csv" ]]; then
    csv="${2:?--csv needs a file}"
else
    if ! pkg-config --exists libsodium 2>/dev/null; then
        echo "libsodium is missing: sudo apt-get install -y libsodium-dev pkg-config (or: make deps)" >&2
        exit 2
    fi
    out="$here/results/check"
    rm -rf "$out"
    mkdir -p "$out"
    echo "== short benchmark run (BENCH_SHORT=1) on $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(date -u +%FT%TZ)"
    # BENCH_CI=1: leave out the Peers group (jwt-kit and swift-crypto are most of the build).
    targets=()
    if [[ "${BENCH_CI:-0}" == "1" ]]; then
        for t in Open Seal Reject Baselines Concurrency Paired NextAuth; do targets+=(--target "$t"); done
    fi
    if ! BENCH_SHORT=1 swift package --scratch-path "$here/.build" --allow-writing-to-package-directory \
        benchmark "${targets[@]}" --format influx --path "$out" --no-progress >"$out/run.log" 2>&1; then
        tail -40 "$out/run.log" >&2
        echo "bench-check: the benchmark run failed (log: $out/run.log)" >&2
        exit 2
    fi
    grep -m1 "token .* B, claims" "$out/run.log" | sed 's/^[A-Za-z]*: /fixture: /' || true
    csv="$out/Current_run.influx.csv"
fi
[[ -f "$csv" ]] || { echo "bench-check: no export at $csv" >&2; exit 2; }
# BENCH_TIMING=report prints wall-clock ratio misses without failing (CI on shared machines).
peers=""
[[ "${BENCH_CI:-0}" == "1" ]] && peers=skip
awk -F, -v batch=1000 -v cbatch=8192 -v timing="${BENCH_TIMING:-gate}" -v peers="$peers" \
    -v targets="$here/targets.txt" -f "$here/bench-report.awk" "$csv"
