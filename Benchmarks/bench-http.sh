#!/usr/bin/env bash
# The HTTP benchmark (make bench-http): wrk on loopback against `GET /me`, the signed-in user's
# ID, served by the same route behind this library's middleware and behind the frameworks' own
# session middleware (Benchmarks/HTTP). wrk and the server share the machine's cores, so single
# runs move by several per cent: each comparison runs its two servers side by side and measures
# PAIRS alternating pairs of runs (A B, then B A, ...), and reports the median of the per-pair
# ratios with each side's median requests/s and p99 latency. RUNS=3 repeats every comparison in
# three runs (each a pass over all comparisons, so that the runs are minutes apart) and reports
# the median of the run medians and their spread (min..max); a target holds only when it holds
# in every run. COMPARISONS picks rows: all (the default), hummingbird, vapor, issue31 (the rows
# issue 31 sets targets for), or a space-separated list of baseline,candidate[,op,target].
# The modes ending in `-post` are sent as `POST` (HTTP/post.lua).
set -euo pipefail
cd "$(dirname "$0")"
PAIRS=${PAIRS:-10}
DURATION=${DURATION:-3s}
RUNS=${RUNS:-1}
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

# The header lines that sign a client in: the body of /login when it is one (`X-None: 1` for
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

method() { [[ "$1" == *-post ]] && echo POST || echo GET; } # mode

# curl's arguments for a mode's request with the header lines $2 (one -H a line).
request() { # mode headers...
    local mode=$1 line; shift
    if [ "$(method "$mode")" = POST ]; then printf '%s\n' -X POST -H 'Content-Type: application/json' --data '{"note":"hello"}'; fi
    while IFS= read -r line; do [ -n "$line" ] && printf '%s\n' -H "$line"; done <<<"$*"
}

check() { # mode port headers: the route must answer 200 user-42 for the credential (a bare
          # route, whatever it is sent); a CSRF-checked one 403 without the token; a re-issuing
          # one a fresh session cookie every time
    local got args=()
    mapfile -t args < <(request "$1" "$3")
    got=$(curl -s -w ' %{http_code}' "${args[@]}" "http://127.0.0.1:$2/me")
    [ "$got" = "user-42 200" ] || { echo "$1 on port $2 answered '$got' for its credential"; exit 1; }
    if [[ "$1" == *csrf* ]]; then
        mapfile -t args < <(request "$1" "$(grep -v '^X-CSRF-Token:' <<<"$3")")
        got=$(curl -s -o /dev/null -w '%{http_code}' "${args[@]}" "http://127.0.0.1:$2/me")
        [ "$got" = 403 ] || { echo "$1 on port $2 answered $got without its CSRF token"; exit 1; }
    fi
    if [[ "$1" == *reissue* ]]; then
        mapfile -t args < <(request "$1" "$3")
        curl -s -D - -o /dev/null "${args[@]}" "http://127.0.0.1:$2/me" | grep -qi '^set-cookie:' \
            || { echo "$1 on port $2 set no cookie: its session was not re-issued"; exit 1; }
    fi
}

run() { # mode port headers -> "rps p99ms"
    local output rps p99 line args=()
    while IFS= read -r line; do [ -n "$line" ] && args+=(-H "$line"); done <<<"$3"
    [ "$(method "$1")" = POST ] && args+=(-s HTTP/post.lua)
    output=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" "http://127.0.0.1:$2/me")
    if grep -q "Non-2xx" <<<"$output"; then echo "non-2xx responses on port $2" >&2; echo "$output" >&2; exit 1; fi
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

# One run of a comparison: PAIRS alternating pairs; appends the run's medians (B/A, A req/s,
# A p99, B req/s, B p99) to results[key].
declare -A results
measure() { # baseline candidate
    local a=$1 b=$2 ratios=() ra=() rb=() pa=() pb=() x y sent
    ensure "$a"; ensure "$b"
    # A bare route gets this comparison's candidate's request, cookie and all: the comparison is
    # the same request with and without the session (parsing the header is part of the session's
    # cost, but HTTP/1 framing of a long header is not). Kept per comparison: until 2026-12-05 the
    # first candidate's header stuck to the bare route, so the 3,500-byte and 8 KiB rows sent
    # their bare baseline hb-session's short cookie.
    sent=${headers[$a]}
    [[ "$sent" == X-None:* ]] && sent=${headers[$b]}
    if [ -z "${results[$a $b]:-}" ]; then  # warm-up, in the first run
        run "$a" "${ports[$a]}" "$sent" > /dev/null
        run "$b" "${ports[$b]}" "${headers[$b]}" > /dev/null
    fi
    for i in $(seq 1 "$PAIRS"); do
        if (( i % 2 )); then x=$(run "$a" "${ports[$a]}" "$sent"); y=$(run "$b" "${ports[$b]}" "${headers[$b]}")
        else y=$(run "$b" "${ports[$b]}" "${headers[$b]}"); x=$(run "$a" "${ports[$a]}" "$sent"); fi
        ra+=("${x% *}"); pa+=("${x#* }"); rb+=("${y% *}"); pb+=("${y#* }")
        ratios+=("$(awk -v p="${y% *}" -v q="${x% *}" 'BEGIN { printf "%.4f", p / q }')")
    done
    results[$a $b]+="$(printf '%s\n' "${ratios[@]}" | median) $(printf '%s\n' "${ra[@]}" | median) $(printf '%s\n' "${pa[@]}" | median) $(printf '%s\n' "${rb[@]}" | median) $(printf '%s\n' "${pb[@]}" | median)
"
}

# A comparison's row over its runs: each figure the median of the run medians, the B/A spread
# as min..max of the run medians, and the target held in every run (one run below it is a MISS).
report() { # baseline candidate [op target]
    local rows ratio lowest highest verdict=""
    rows=${results[$1 $2]}
    col() { awk -v c="$1" 'NF { print $c }' <<<"$rows" | median; }
    ratio=$(col 1)
    lowest=$(awk 'NF { print $1 }' <<<"$rows" | sort -g | head -1)
    highest=$(awk 'NF { print $1 }' <<<"$rows" | sort -g | tail -1)
    if [ -n "${3:-}" ]; then
        if awk 'NF { print $1 }' <<<"$rows" | awk -v t="$4" -v op="$3" '{ if ((op == ">=") ? $1 < t : $1 > t) bad = 1 } END { exit bad }'
        then verdict="target $3 $4: PASS"
        else verdict="target $3 $4: MISS"; missed=$((missed + 1)); fi
    fi
    printf "| %-24s | %-24s | %8.0f | %6.2f | %8.0f | %6.2f | %6.3f | %-13s | %s\n" "$1" "$2" \
        "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" "$ratio" \
        "$(printf '%.3f..%.3f' "$lowest" "$highest")" "$verdict" | tee -a "$OUT/table.md"
}

hummingbird=(
    "hb-bare hb-session >= 0.96"
    "hb-bare hb-noop-middleware"
    "hb-noop-middleware hb-session"
    "hb-auth-memory hb-session >= 1.0"
    "hb-bare hb-auth-memory"
    "hb-session hb-session-revocations >= 0.95"
    "hb-bare hb-session-3500 >= 0.92"
    "hb-bare hb-nextauth-8k >= 0.92"
    "hb-bare-post hb-csrf-post >= 0.9"
    "hb-bare-post hb-csrf-nextauth-post >= 0.9"
    "hb-bare hb-session-reissue >= 0.85"
    "hb-session hb-session-reissue"
    "hb-bare hb-nextauth-reissue >= 0.85"
    "hb-nextauth hb-nextauth-reissue"
    "hb-bound-bearer hb-bound"
    "hb-session hb-bound"
)
vapor=(
    "vapor-bare vapor-session >= 0.95"
    "vapor-bare vapor-noop-middleware"
    "vapor-noop-middleware vapor-session"
    "vapor-sessions-memory vapor-session >= 1.0"
    "vapor-bare vapor-sessions-memory"
    "vapor-bare vapor-sessions-sealed"
    "vapor-bare vapor-jwt"
)
# The rows issue 31 sets targets for, the re-issue rows against their unissued sessions, and
# the bound session's rows, which it asks for.
issue31=(
    "hb-bare hb-session >= 0.96"
    "hb-bare hb-session-3500 >= 0.92"
    "hb-bare hb-nextauth-8k >= 0.92"
    "hb-bare-post hb-csrf-post >= 0.9"
    "hb-bare-post hb-csrf-nextauth-post >= 0.9"
    "hb-bare hb-session-reissue >= 0.85"
    "hb-session hb-session-reissue"
    "hb-bare hb-nextauth-reissue >= 0.85"
    "hb-nextauth hb-nextauth-reissue"
    "hb-bound-bearer hb-bound"
    "hb-session hb-bound"
)
COMPARISONS=${COMPARISONS:-all}
case "$COMPARISONS" in
    all) comparisons=("${hummingbird[@]}" "${vapor[@]}") ;;
    hummingbird) comparisons=("${hummingbird[@]}") ;;
    vapor) comparisons=("${vapor[@]}") ;;
    issue31) comparisons=("${issue31[@]}") ;;
    *) comparisons=(); for c in $COMPARISONS; do comparisons+=("${c//,/ }"); done ;;
esac

missed=0
started=$SECONDS
: > "$OUT/runs.txt"
date -u "+HTTP benchmark, %Y-%m-%d %H:%M UTC: wrk -t1 -c$CONNECTIONS -d$DURATION, $PAIRS alternating pairs a comparison, median of ratios, $RUNS run(s)" | tee "$OUT/table.md"
for r in $(seq 1 "$RUNS"); do
    for c in "${comparisons[@]}"; do
        read -r a b _ <<<"$c"
        measure "$a" "$b"
        echo "run $r/$RUNS: $a -> $b: B/A $(awk 'NF { l = $1 } END { print l }' <<<"${results[$a $b]}") ($(( (SECONDS - started) / 60 )) min)" | tee -a "$OUT/runs.txt" >&2
    done
done
echo "| baseline (A) | candidate (B) | A req/s | A p99 ms | B req/s | B p99 ms | B/A | runs min..max | |" | tee -a "$OUT/table.md"
echo "|---|---|---:|---:|---:|---:|---:|---|---|" | tee -a "$OUT/table.md"
for c in "${comparisons[@]}"; do
    # shellcheck disable=SC2086
    report $c
done
echo "$missed target(s) missed; $(( (SECONDS - started) / 60 )) min" | tee -a "$OUT/table.md"
