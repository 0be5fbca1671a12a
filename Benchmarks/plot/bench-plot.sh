#!/usr/bin/env bash
# Cost curves (issue 31, item 5), measured in one sitting and drawn: `make bench-plot`.
#   1. the Swift Curves group (BENCH_SHORT=1 BENCH_CURVES=1): open against the claims' size and
#      against the key ring's size, the revocation check and the revocation set's memory
#      against its size; exported as package-benchmark's influx CSV;
#   2. the Python peers' open against the same claims sizes (peers.py --sweep);
#   3. plot.py: PNGs into the SessionToken DocC catalog (Docs.docc/Resources), and a summary.
# Python (matplotlib and the peers) comes from PyPI into plot/.venv, made on first use.
# Results in Benchmarks/results/curves/. About 5 minutes once the suite is built.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(cd "$here/.." && pwd)"
out="$bench/results/curves"
images="$bench/../Sources/SessionToken/Docs.docc/Resources"
sizes="128 256 512 1024 2048 4096 8192"   # claims bytes: the Swift group's claimSizes

if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
        echo "== installing python3-venv with apt-get" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    else
        echo "python3-venv is missing: sudo apt-get install -y python3-venv" >&2; exit 2
    fi
fi
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "== making $venv (matplotlib and the peers from PyPI)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
fi

rm -rf "$out"; mkdir -p "$out"/{time,memory}
# The Curves group in two runs: the timings, then the revocation set's memory alone. The memory
# run turns glibc's thread cache off (GLIBC_TUNABLES), so that mallinfo2 sees every allocation:
# a chunk parked in the cache counts as in use, so a set rebuilt each sample reused its
# predecessor's small chunks unseen (0 bytes for 10 entries). The timings keep the default.
curves() {  # curves NAME [VAR=value...] COMMAND...: one benchmark run, exported to $out/NAME
    local name="$1"; shift
    echo "== Swift: the Curves group, $name ($(date -u +%FT%TZ))" >&2
    (cd "$bench" && env BENCH_SHORT=1 BENCH_CURVES=1 "$@" --format influx --path "$out/$name" \
        --no-progress >"$out/$name/run.log" 2>&1) || { tail -30 "$out/$name/run.log" >&2; exit 2; }
}
run=(swift package --scratch-path "$bench/.build" --allow-writing-to-package-directory benchmark --target Curves)
curves time "${run[@]}" --skip ".*set memory"
curves memory GLIBC_TUNABLES=glibc.malloc.tcache_count=0 "${run[@]}" --filter ".*set memory"
echo "== Python peers: open against the claims' size" >&2
"$venv/bin/python" "$bench/peers/peers.py" --sweep $sizes >"$out/peers.tsv"

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs"
mkdir -p "$images"
"$venv/bin/python" "$here/plot.py" --csv "$out"/{time,memory}/Current_run.influx.csv --peers "$out/peers.tsv" \
    --out "$images" --stamp "make bench-plot, $(date -u +%F), $machine" | tee "$out/summary.md"
