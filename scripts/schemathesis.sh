#!/usr/bin/env bash
# Fuzzes the server against its own OpenAPI document with schemathesis (PyPI):
# no 5xx, and every response must match the schema.
#
#   scripts/schemathesis.sh            # SQLite in a temp dir
#   DATABASE_URL=postgres://... scripts/schemathesis.sh
#
# Env: ST_MAX_EXAMPLES (default 30), ST_MAX_TIME (seconds, default 90),
#      ST_VERSION (pip requirement, default "schemathesis>=4,<5"),
#      NOVABILLING_SERVER (binary; default: cargo build, target/.../debug).
# The virtualenv lives in target/st-venv, so nothing lands in git.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/target/st-venv"
REQ="${ST_VERSION:-schemathesis>=4,<5}"

if [ ! -x "$VENV/bin/st" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "$REQ"
fi

if [ -z "${NOVABILLING_SERVER:-}" ]; then
    cargo build -q -p novabilling-server
    NOVABILLING_SERVER="$ROOT/target/x86_64-unknown-linux-gnu/debug/novabilling-server"
fi

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

DB="${DATABASE_URL:-sqlite://$WORK/st.db}"
RUST_LOG="${RUST_LOG:-warn}" "$NOVABILLING_SERVER" serve --bind 127.0.0.1:0 --database "$DB" --dev \
    --dev-key-file "$WORK/key" --rate-limit 0 > "$WORK/out" 2> "$WORK/server.log" &
SERVER_PID=$!

URL=""
for _ in $(seq 1 100); do
    URL="$(sed -n 's/^listening on //p' "$WORK/out" 2>/dev/null || true)"
    [ -n "$URL" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$WORK/server.log" >&2
        echo "schemathesis.sh: the server did not start" >&2
        exit 1
    fi
    sleep 0.1
done
[ -n "$URL" ] || { echo "schemathesis.sh: no 'listening on' line" >&2; exit 1; }
KEY="$(cat "$WORK/key")"

set +e
# Run from the temp dir: schemathesis keeps its cache (.schemathesis/) in the working directory.
(cd "$WORK" && "$VENV/bin/st" run "$URL/api/openapi.json" \
    --url "$URL" \
    -H "Authorization: Bearer $KEY" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --max-examples "${ST_MAX_EXAMPLES:-30}" \
    --max-time "${ST_MAX_TIME:-90}" \
    --phases examples,coverage,fuzzing \
    --seed "${ST_SEED:-1}" \
    --workers 1 \
    --request-timeout 10 \
    --suppress-health-check all \
    --warnings off)
STATUS=$?
set -e

if grep -q "ERROR\|panicked" "$WORK/server.log"; then
    echo "--- server errors ---" >&2
    grep "ERROR\|panicked" "$WORK/server.log" | head -50 >&2
fi
exit $STATUS
