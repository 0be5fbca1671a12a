#!/usr/bin/env bash
# The HTTP benchmark (make bench-http): wrk on loopback against `GET /me`, the signed-in user's
# ID, served by the same route behind this library's middleware and behind the frameworks' own
# session middleware (Benchmarks/HTTP). wrk and the server share the machine's cores, so single
# runs move by several per cent: each comparison runs its two servers side by side and measures
# PAIRS alternating pairs of runs (A B, then B A, ...), and reports the median of the per-pair
# ratios with each side's median requests/s and p99 latency.
set -euo pipefail
cd "$(dirname "$0")"
PAIRS=${PAIRS:-10}
DURATION=${DURATION:-3s}
CONNECTIONS=${CONNECTIONS:-32}
BIN=HTTP/.build/release/bench-server
OUT=${OUT:-results/http}
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
    echo "installing wrk with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl; }
(cd HTTP && swift build -c release --scratch-path .build 2>&1 | grep -E "error|Compiling bench-server|Build complete" || true)
[ -x "$BIN" ] || { echo "bench-server did not build"; exit 1; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # mode port
    "$BIN" "$1" "$2" > "$OUT/$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$2/login" && return 0
        sleep 0.1
    done
    echo "server $1 did not start"; cat "$OUT/$1.log"; exit 1
}

# The header line that signs a client in: the body of /login when it is one (`X-None: 1` for
# a route without sessions, which is then sent its candidate's header), else the cookies the
# login response set.
credential() { # port
    local response body
    response=$(curl -s -D - "http://127.0.0.1:$1/login")
    body=$(sed -n '/^\r$/,$p' <<<"$response" | tail -n +2)
    if [[ "$body" == Cookie:* || "$body" == Authorization:* || "$body" == X-None:* ]]; then
        echo "$body"
    else
        echo "Cookie: $(grep -i '^set-cookie:' <<<"$response" | sed -E 's/^[Ss]et-[Cc]ookie: *([^;]*).*/\1/' | tr -d '\r' | paste -sd ';' | sed 's/;/; /g')"
    fi
}

check() { # mode port header: the route must answer 200 user-42 for the credential (a bare
          # route, whatever it is sent)
    local got
    got=$(curl -s -w ' %{http_code}' -H "$3" "http://127.0.0.1:$2/me")
    [ "$got" = "user-42 200" ] || { echo "$1 on port $2 answered '$got' for its credential"; exit 1; }
}

run() { # port header -> "rps p99ms"
    local output rps p99
    output=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$2" "http://127.0.0.1:$1/me")
    if grep -q "Non-2xx" <<<"$output"; then echo "non-2xx responses on port $1" >&2; echo "$output" >&2; exit 1; fi
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$output")
    p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }' <<<"$output")
    echo "$rps $p99"
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

port=18080
declare -A ports headers
ensure() { # mode
    if [ -z "${ports[$1]:-}" ]; then
        port=$((port + 1))
        start "$1" "$port"
        ports[$1]=$port
        headers[$1]=$(credential "$port")
        check "$1" "$port" "${headers[$1]}"
    fi
}

compare() { # baseline candidate target-op target
    local a=$1 b=$2 ratios=() ra=() rb=() pa=() pb=()
    ensure "$a"; ensure "$b"
    # A bare route gets the candidate's request, cookie and all: the comparison is the same
    # request with and without the session (parsing the header is part of the session's cost,
    # but HTTP/1 framing of a long header is not).
    [[ "${headers[$a]}" == X-None:* ]] && headers[$a]=${headers[$b]}
    run "${ports[$a]}" "${headers[$a]}" > /dev/null  # warm-up
    run "${ports[$b]}" "${headers[$b]}" > /dev/null
    for i in $(seq 1 "$PAIRS"); do
        if (( i % 2 )); then x=$(run "${ports[$a]}" "${headers[$a]}"); y=$(run "${ports[$b]}" "${headers[$b]}")
        else y=$(run "${ports[$b]}" "${headers[$b]}"); x=$(run "${ports[$a]}" "${headers[$a]}"); fi
        ra+=("${x% *}"); pa+=("${x#* }"); rb+=("${y% *}"); pb+=("${y#* }")
        ratios+=("$(awk -v p="${y% *}" -v q="${x% *}" 'BEGIN { printf "%.4f", p / q }')")
    done
    local ratio verdict=""
    ratio=$(printf '%s\n' "${ratios[@]}" | median)
    if [ -n "${3:-}" ]; then
        if awk -v r="$ratio" -v t="$4" -v op="$3" 'BEGIN { exit !((op == ">=") ? r >= t : r <= t) }'; then verdict="target $3 $4: PASS"
        else verdict="target $3 $4: MISS"; missed=$((missed + 1)); fi
    fi
    printf "| %-24s | %-24s | %8.0f | %6.2f | %8.0f | %6.2f | %6.3f | %s\n" "$a" "$b" \
        "$(printf '%s\n' "${ra[@]}" | median)" "$(printf '%s\n' "${pa[@]}" | median)" \
        "$(printf '%s\n' "${rb[@]}" | median)" "$(printf '%s\n' "${pb[@]}" | median)" "$ratio" "$verdict" | tee -a "$OUT/table.md"
}

missed=0
date -u "+HTTP benchmark, %Y-%m-%d %H:%M UTC: wrk -t1 -c$CONNECTIONS -d$DURATION, $PAIRS alternating pairs a comparison, median of ratios" | tee "$OUT/table.md"
echo "| baseline (A) | candidate (B) | A req/s | A p99 ms | B req/s | B p99 ms | B/A | |" | tee -a "$OUT/table.md"
echo "|---|---|---:|---:|---:|---:|---:|---|" | tee -a "$OUT/table.md"
COMPARISONS=${COMPARISONS:-all}
if [ "$COMPARISONS" = all ]; then
    compare hb-bare hb-session ">=" 0.95
    compare hb-bare hb-noop-middleware
    compare hb-noop-middleware hb-session
    compare hb-auth-memory hb-session ">=" 1.0
    compare hb-bare hb-auth-memory
    compare hb-session hb-session-revocations ">=" 0.95
    compare hb-bare hb-session-3500
    compare hb-bare hb-nextauth-8k
    compare vapor-bare vapor-session ">=" 0.95
    compare vapor-bare vapor-noop-middleware
    compare vapor-noop-middleware vapor-session
    compare vapor-sessions-memory vapor-session ">=" 1.0
    compare vapor-bare vapor-sessions-memory
    compare vapor-bare vapor-sessions-sealed
    compare vapor-bare vapor-jwt
else
    compare ${COMPARISONS//,/ }
fi
echo "$missed target(s) missed" | tee -a "$OUT/table.md"
