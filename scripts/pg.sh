#!/usr/bin/env bash
# A private PostgreSQL cluster for the server's tests, under ./.pg (git-ignored).
#
#   scripts/pg.sh start   # initdb if needed, start on a free loopback port,
#                         # print `export NOVABILLING_TEST_DATABASE_URL=...`
#                         # (also written to .pg/url)
#   scripts/pg.sh stop    # stop it (the data stays for the next start)
#   scripts/pg.sh restart # a fast restart on the same port (core/tests/pg_restart.rs)
#   scripts/pg.sh url     # print the URL of the running cluster
#   scripts/pg.sh clean   # stop and delete .pg
#
# Uses Debian's PostgreSQL binaries (/usr/lib/postgresql/<15..>/bin, else PATH).
# PostgreSQL refuses to run as root, so as root the cluster runs as `nobody`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGROOT="${NOVABILLING_PG_DIR:-$ROOT/.pg}"
DATA="$PGROOT/data"
SOCK="$PGROOT/sock"
LOG="$PGROOT/postgres.log"
DBNAME=novabilling_test

find_bin() {
    local d
    for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return
        fi
    done
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return
    fi
    echo "pg.sh: no PostgreSQL server binaries found (apt-get install postgresql)" >&2
    exit 1
}
BIN="$(find_bin)"

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

running() {
    [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() {
    local port
    port="$(cat "$PGROOT/port")"
    echo "postgres://postgres@127.0.0.1:$port/$DBNAME"
}

start() {
    mkdir -p "$PGROOT"
    if [ "$(id -u)" = 0 ]; then
        chown nobody:nogroup "$PGROOT"
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    fi
    as_owner mkdir -p "$SOCK"
    if ! running; then
        # shared_buffers as a server would size it (a quarter of a small
        # server's memory): with the 128 MB default a million customers' search
        # matches are read from the OS's cache a page at a time (20 ms p50
        # against 11 ms). fsync and its kin are off: test data, not kept.
        local port
        port="$(free_port)"
        echo "$port" > "$PGROOT/port.tmp"
        mv "$PGROOT/port.tmp" "$PGROOT/port"
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $SOCK -c max_connections=200 -c shared_buffers=1GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null
    fi
    local port
    port="$(cat "$PGROOT/port")"
    if ! "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
        "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE $DBNAME" >/dev/null
    fi
    url > "$PGROOT/url"
    echo "export NOVABILLING_TEST_DATABASE_URL=$(url)"
}

stop() {
    if [ -d "$DATA" ] && running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    fi
}

# Fast mode, as an operator's restart or a failover: open sessions are ended.
restart() {
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 restart >/dev/null
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    restart) restart ;;
    url) url ;;
    clean)
        stop
        rm -rf "$PGROOT"
        ;;
    *)
        echo "usage: $0 start|stop|restart|url|clean" >&2
        exit 2
        ;;
esac
