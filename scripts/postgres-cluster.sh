#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for the PostgreSQL store's tests, from Debian's
# packages (installed with apt-get when missing).
#
#   postgres-cluster.sh run -- COMMAND...   start a cluster, run COMMAND with its address in the
#                                           environment, stop and delete the cluster
#   postgres-cluster.sh stop-server DIR     stop the server, keep its data (tests restart it)
#   postgres-cluster.sh start-server DIR    start it again
#
# COMMAND sees SESSION_TOKEN_PG_URL (postgres://sessions@127.0.0.1:PORT/sessions), PGPASSWORD
# (a random password for the role `sessions`, and for `intruder`: a role that may connect and
# has no right on any table, as whoever can reach the database may), SESSION_TOKEN_PG_DIR and SESSION_TOKEN_PG_CTL
# (this script), and SESSION_TOKEN_PG_REQUIRED=1 so the tests fail rather than skip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
            echo "installing postgresql with apt-get" >&2
            apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
            dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
        else
            echo "PostgreSQL is missing. Install it with: sudo apt-get install -y postgresql" >&2
            exit 1
        fi
    fi
    echo "$dir"
}

# initdb and the server refuse to run as root: run them as the postgres user then.
as_owner() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

server() { # start|stop DIR
    local bin; bin=$(bindir)
    local dir=$2 port; port=$(cat "$dir/port")
    case $1 in
    start) as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket" start >/dev/null ;;
    stop) as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
    esac
}

# A port below the kernel's ephemeral range (so no outgoing connection holds it) that nothing on
# the machine listens on or uses now, as /proc/net/tcp shows.
pick_port() {
    local low used port
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 20000 ] 2>/dev/null || low=32768
    used=$(awk 'NR > 1 { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
    for _ in $(seq 50); do
        port=$((15000 + RANDOM % (low - 15000)))
        grep -qx "$(printf '%04X' "$port")" <<<"$used" || { echo "$port"; return; }
    done
    echo "$port"
}

case "${1:-}" in
run)
    shift
    [ "${1:-}" = "--" ] && shift
    bin=$(bindir)
    dir=$(mktemp -d /tmp/session-token-pg.XXXXXX)
    port=${PG_PORT:-$(pick_port)}
    echo "$port" > "$dir/port"
    password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    mkdir -p "$dir/socket"
    [ "$(id -u)" = "0" ] && chown -R postgres "$dir"
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" = "0" ] && chown postgres "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$dir/pwfile" >/dev/null
    rm -f "$dir/pwfile"
    cleanup() { server stop "$dir" 2>/dev/null || true; rm -rf "$dir"; }
    trap cleanup EXIT
    # A port can be taken between the pick and the server's bind (CI once lost the race, and the
    # log went with the folder): try fresh ports, and show the server's own words if all fail.
    tries=0
    until server start "$dir" 2>/dev/null; do
        tries=$((tries + 1))
        if [ -n "${PG_PORT:-}" ] || [ $tries -ge 5 ]; then
            echo "PostgreSQL did not start on 127.0.0.1:$port; its log:" >&2
            tail -20 "$dir/server.log" >&2 || true
            exit 1
        fi
        echo "PostgreSQL did not start on 127.0.0.1:$port ($(grep -E "FATAL|could not" "$dir/server.log" | tail -1 || echo 'no reason logged')); trying another port" >&2
        port=$(pick_port); echo "$port" > "$dir/port"
    done
    as_owner "$bin/psql" -q -h "$dir/socket" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE sessions LOGIN PASSWORD '$password'" -c "CREATE DATABASE sessions OWNER sessions" \
        -c "CREATE ROLE intruder LOGIN PASSWORD '$password'" >/dev/null
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
    status=0
    SESSION_TOKEN_PG_URL="postgres://sessions@127.0.0.1:$port/sessions" PGPASSWORD="$password" \
        SESSION_TOKEN_PG_DIR="$dir" SESSION_TOKEN_PG_CTL="$here/postgres-cluster.sh" SESSION_TOKEN_PG_REQUIRED=1 \
        "$@" || status=$?
    exit $status
    ;;
stop-server) server stop "$2" ;;
start-server) server start "$2" ;;
*) sed -n '2,13p' "$0"; exit 2 ;;
esac
