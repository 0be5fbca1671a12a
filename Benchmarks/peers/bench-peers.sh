#!/usr/bin/env bash
# Peer table (issue 6, item 7): our seal/open from the Swift benchmark suite beside Python's
# joserfc (JWE dir+XC20P and dir+A256GCM), jwcrypto (JWE dir+A256GCM), cryptography's Fernet
# and pyseto (PASETO v4.local), on the same payload. One table: ops/s and token length.
#
#   Benchmarks/peers/bench-peers.sh                 # runs the Swift Open+Seal groups, then the peers
#   Benchmarks/peers/bench-peers.sh --csv FILE --log LOG
#                                                   # our figures from an earlier run (bench.sh's
#                                                   # results/full/Current_run.influx.csv and run.log)
#
# The peers come from PyPI into peers/.venv (made on first use). Both sides run one after the
# other, never at once, so neither takes the other's core.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(cd "$here/.." && pwd)"
csv="" log=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --csv) csv="$2"; shift 2 ;;
        --log) log="$2"; shift 2 ;;
        *) echo "usage: $0 [--csv FILE --log LOG]" >&2; exit 2 ;;
    esac
done

if [[ -z "$csv" ]]; then
    out="$bench/results/peers"
    rm -rf "$out"; mkdir -p "$out"
    echo "== Swift: Open and Seal groups" >&2
    (cd "$bench" && swift package --scratch-path "$bench/.build" --allow-writing-to-package-directory \
        benchmark --target Open --target Seal --format influx --path "$out" --no-progress >"$out/run.log" 2>&1) \
        || { tail -30 "$out/run.log" >&2; exit 2; }
    csv="$out/Current_run.influx.csv"; log="$out/run.log"
fi

venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "== making $venv and installing the peers from PyPI" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
fi
echo "== Python peers" >&2
peers="$("$venv/bin/python" "$here/peers.py")"

token_bytes="$(grep -m1 -o 'token [0-9]* B' "$log" | grep -o '[0-9]*')"
swift_version="$(swift --version 2>/dev/null | grep -o 'Swift version [0-9.]*' | head -1)"
echo
echo "Peer table, $(date -u +%F), $(lscpu | sed -n 's/^Model name: *//p' | head -1), ${swift_version}:"
{
    awk -F, -v tb="$token_bytes" '
        $10 == "50.0" && $7 == "Time(wallclock)" && $9 == "seal" { seal = 1e12 / $11 }
        $10 == "50.0" && $7 == "Time(wallclock)" && $9 == "open 1-key ring" { open = 1e12 / $11 }
        END { printf "swift-session-token (this)\tJWE dir+XC20P\t%.0f\t%.0f\t%s\n", seal, open, tb }' "$csv"
    printf '%s\n' "$peers"
} | awk -F'\t' '
    BEGIN {
        printf "| %-28s | %-27s | %12s | %12s | %12s |\n", "implementation", "format", "seal ops/s", "open ops/s", "token bytes"
        printf "|%s|%s|%s|%s|%s|\n", "------------------------------", "-----------------------------", "-------------:", "-------------:", "-------------:"
    }
    { printf "| %-28s | %-27s | %12s | %12s | %12s |\n", $1, $2, $3, $4, $5 }'
