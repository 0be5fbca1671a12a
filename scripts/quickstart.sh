#!/usr/bin/env bash
# The README's quick starts as a user runs them (make quickstart): Examples/QuickStart, a consumer
# package that depends on this repository by path, is built one product at a time in its own
# folder (Examples/QuickStart/.build), then each server is started on a free loopback port with a
# fresh key and driven with curl. Every check asserts a status or a header; the first mismatch
# stops the run with a message that says what was expected.
#
# Order: HummingbirdQuickStart first, then the BoringSSL check (a Hummingbird service without
# next-auth must link neither swift-crypto's nor swift-nio-ssl's BoringSSL), then VaporQuickStart
# (Vapor itself pulls swift-crypto), then CoreQuickStart.
#
# QUICKSTART_ALLOW_BORINGSSL=1 reports the BoringSSL check without failing on it.
# QUICKSTART_SCRATCH names the build folder (Examples/QuickStart/.build by default). CI passes
# the folder `make test-frameworks` built, so that Hummingbird, Vapor and NIO are compiled once
# per run: the package is still built as a consumer's (its own root, the library by path), and
# the BoringSSL check reads the product's own link list, which no other product's objects enter.
# SESSION_TOKEN_BIN names a built `session-token`; otherwise the root package's debug build is
# used (built when missing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
package="$root/Examples/QuickStart"
build="${QUICKSTART_SCRATCH:-$package/.build}"
start=$EPOCHREALTIME
timings=()

fail() { echo "quickstart: FAILED: $*" >&2; exit 1; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
timed() {  # timed LABEL COMMAND...: runs COMMAND, records and prints its wall time
    local label=$1 t0=$EPOCHREALTIME
    shift
    "$@" || fail "$label (exit $?)"
    local seconds
    seconds=$(elapsed "$t0")
    timings+=("$(printf '%-44s %8s s' "$label" "$seconds")")
    echo "== $label: $seconds s"
}

if ! command -v curl >/dev/null; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "installing curl with apt-get"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
    else
        fail "curl is missing. Install it with: sudo apt-get install -y curl"
    fi
fi

# --- Build, one product at a time, as a consumer would.
cd "$package"
timed "resolve Examples/QuickStart" swift package resolve --scratch-path "$build"
timed "build HummingbirdQuickStart" swift build --scratch-path "$build" --product HummingbirdQuickStart

# What the product links: the link list names every object file, so a warm folder (where the
# Vapor product's BoringSSL already sits) cannot hide or fake the answer.
links="$build/debug/HummingbirdQuickStart.product/Objects.LinkFileList"
[ -f "$links" ] || fail "no link list at $links"
boring=$(grep -E '/C(Crypto|NIO)BoringSSL[^/]*\.build/' "$links" | sed -E 's|.*/([^/]+)\.build/.*|\1|' | sort | uniq -c || true)
if [ -n "$boring" ]; then
    echo "HummingbirdQuickStart links BoringSSL (object files per module):"
    echo "$boring"
    if [ "${QUICKSTART_ALLOW_BORINGSSL:-}" = "1" ]; then
        echo "quickstart: WARNING: BoringSSL is built for Hummingbird (allowed by QUICKSTART_ALLOW_BORINGSSL=1)"
    else
        fail "a Hummingbird service without next-auth must build no BoringSSL (CCryptoBoringSSL/CNIOBoringSSL above); QUICKSTART_ALLOW_BORINGSSL=1 reports without failing"
    fi
else
    echo "HummingbirdQuickStart links no BoringSSL ($(grep -c . "$links") object files)"
fi

timed "build VaporQuickStart" swift build --scratch-path "$build" --product VaporQuickStart
timed "build CoreQuickStart" swift build --scratch-path "$build" --product CoreQuickStart

# --- A fresh key for every run, made as the README says.
if [ -n "${SESSION_TOKEN_BIN:-}" ]; then
    cli=$SESSION_TOKEN_BIN
    [ -x "$cli" ] || fail "SESSION_TOKEN_BIN=$cli is not an executable"
else
    cli=$root/.build/debug/session-token
    if [ ! -x "$cli" ]; then
        cd "$root"
        timed "build session-token (for keygen)" swift build --product session-token
        cd "$package"
    fi
fi
key=$("$cli" keygen) || fail "session-token keygen"
csrf_secret=$(head -c 32 /dev/urandom | base64 | tr -d '\n')

out=$(SESSION_TOKEN_KEYS=$key "$build/debug/CoreQuickStart") || fail "CoreQuickStart exited with an error"
[[ "$out" == "signed in as user-42 until "* ]] || fail "CoreQuickStart printed '$out', expected 'signed in as user-42 until ...'"
echo "CoreQuickStart: $out"

# --- The servers, driven with curl.
work=$(mktemp -d)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# request NAME EXPECTED_STATUS CURL_ARGS...: one request with the server's cookie jar; the
# response's headers in $work/headers, its body in $work/body.
request() {
    local name=$1 expected=$2
    shift 2
    local got
    got=$(curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' -b "$jar" -c "$jar" "$@") || got="curl error $?"
    if [ "$got" != "$expected" ]; then
        echo "--- response headers:"; cat "$work/headers" 2>/dev/null || true
        echo "--- body:"; head -c 500 "$work/body" 2>/dev/null || true; echo
        fail "$server: $name: status $got, expected $expected"
    fi
    echo "  ok  $name ($got)"
}
header() { grep -i "^$1:" "$work/headers" | head -1 | cut -d: -f2- | sed -E 's/^ +//; s/\r$//'; }
expect_header() {  # expect_header STEP NAME VALUE
    local value
    value=$(header "$2")
    [ "$value" = "$3" ] || fail "$server: $1: header $2 is '$value', expected '$3'"
}
expect_body() {
    local body
    body=$(cat "$work/body")
    [ "$body" = "$2" ] || fail "$server: $1: body '$body', expected '$2'"
}

drive() {
    server=$1
    local port origin t0=$EPOCHREALTIME log="$work/$1.log"
    port=$(free_port)
    origin="http://127.0.0.1:$port"
    jar="$work/$1.jar"
    : >"$jar"
    echo "== $server on $origin"
    PORT=$port SESSION_TOKEN_KEYS=$key CSRF_SECRET=$csrf_secret "$build/debug/$server" >"$log" 2>&1 &
    pids+=($!)
    local pid=$! tries=0
    until curl -s -o /dev/null "$origin/me"; do
        kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "$server exited before listening"; }
        tries=$((tries + 1))
        [ "$tries" -lt 150 ] || { cat "$log"; fail "$server did not listen on $origin within 30 s"; }
        sleep 0.2
    done
    local base="$origin" token

    request "signed out: GET /me refused" 401 "$base/me"
    request "sign-in without a CSRF token refused" 403 -X POST "$base/signin"

    request "GET /csrf sets the CSRF cookie" 200 "$base/csrf"
    token=$(cat "$work/body")
    [ -n "$token" ] || fail "$server: /csrf returned an empty token"
    header set-cookie | grep -q '^next-auth.csrf-token=' || fail "$server: /csrf set no next-auth.csrf-token cookie"

    request "sign-in with the form's token, callbackUrl=/me" 303 -X POST \
        --data-urlencode "csrfToken=$token" "$base/signin?callbackUrl=%2Fme"
    expect_header "sign-in" location "$origin/me"
    expect_header "sign-in" cache-control "private, no-store"
    grep -qi '^set-cookie: next-auth.session-token=' "$work/headers" || fail "$server: sign-in set no session cookie"

    request "the callback URL followed: GET /me authorised" 200 "$(header location)"
    expect_body "GET /me" "user-42"

    request "sign-out without a CSRF token refused" 403 -X POST "$base/signout"
    request "still signed in after the refused sign-out" 200 "$base/me"

    request "GET /csrf for the session (the token changes at sign-in)" 200 "$base/csrf"
    token=$(cat "$work/body")
    request "sign-in again with callbackUrl=//evil.com" 303 -X POST \
        -H "X-CSRF-Token: $token" "$base/signin?callbackUrl=%2F%2Fevil.com"
    expect_header "off-site callback" location "$origin"
    cp "$jar" "$work/copy.jar"  # a copy of the session cookie, taken before sign-out

    request "GET /csrf for the new session" 200 "$base/csrf"
    token=$(cat "$work/body")
    request "sign-out with the token in X-CSRF-Token" 204 -X POST -H "X-CSRF-Token: $token" "$base/signout"
    grep -qiE '^set-cookie: next-auth.session-token=;.*Max-Age=0' "$work/headers" \
        || fail "$server: sign-out did not expire the session cookie"
    request "signed out: the cookie jar no longer authorises" 401 "$base/me"
    # Without revocation a sign-out only expires the cookie: a copy taken before it stays
    # valid until it expires (the README's Revocation section takes it back).
    jar="$work/copy.jar" request "a copy of the old cookie still opens (no revocation configured)" 200 "$base/me"

    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local seconds
    seconds=$(elapsed "$t0")
    timings+=("$(printf '%-44s %8s s' "drive $server with curl" "$seconds")")
    echo "== $server: every check passed in $seconds s"
}

drive HummingbirdQuickStart
drive VaporQuickStart

echo
echo "quickstart: all checks passed; times:"
printf '  %s\n' "${timings[@]}"
printf '  %-44s %8s s\n' "total" "$(elapsed "$start")"
