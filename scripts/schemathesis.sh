#!/usr/bin/env bash
# Fuzzes the server against its own OpenAPI document with schemathesis (PyPI),
# with every check schemathesis has: no 5xx; every response (status, headers,
# content type, body) as the document says; a request the document calls
# valid is taken and one it calls invalid refused; a created resource can be
# read, a deleted one cannot; auth is enforced. The stateful phase follows the
# document's links (create -> get, update, delete, ...), and the script ends
# with what that phase sent, per operation.
#
#   scripts/schemathesis.sh            # SQLite in a temp dir
#   DATABASE_URL=postgres://... scripts/schemathesis.sh
#   scripts/schemathesis.sh --report html   # more options go to `st run`
#
# Env: ST_MAX_EXAMPLES (default 30), ST_MAX_TIME (seconds for the whole run,
#      shared by schemathesis between fuzzing and stateful; default 90),
#      ST_PHASES (default examples,coverage,fuzzing,stateful), ST_CHECKS
#      (default: all, from scripts/schemathesis.toml), ST_SEED (default 1),
#      ST_VERSION (pip requirement, default "schemathesis>=4,<5"),
#      NOVABILLING_SERVER (binary; default: cargo build, target/.../debug).
# Settings with no option: scripts/schemathesis.toml; hooks that keep unique
# fields unique: scripts/schemathesis_hooks.py.
# The virtualenv lives in target/st-venv, so nothing lands in git.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/target/st-venv"
REQ="${ST_VERSION:-schemathesis>=4,<5}"

# Two runs may start together (scripts/test.sh runs SQLite and PostgreSQL side by side): one installs.
mkdir -p "$ROOT/target"
exec 9>"$ROOT/target/st-venv.lock"
flock 9
if [ ! -x "$VENV/bin/st" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "$REQ"
fi
flock -u 9

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
(cd "$WORK" && SCHEMATHESIS_HOOKS="$ROOT/scripts/schemathesis_hooks.py" "$VENV/bin/st" --config-file "$ROOT/scripts/schemathesis.toml" run "$URL/api/openapi.json" \
    --url "$URL" \
    -H "Authorization: Bearer $KEY" \
    ${ST_CHECKS:+--checks "$ST_CHECKS"} \
    --max-examples "${ST_MAX_EXAMPLES:-30}" \
    --max-time "${ST_MAX_TIME:-90}" \
    --phases "${ST_PHASES:-examples,coverage,fuzzing,stateful}" \
    --seed "${ST_SEED:-1}" \
    --workers 1 \
    --request-timeout 10 \
    --suppress-health-check all \
    --generation-allow-x00 false \
    --warnings off \
    --report vcr --report-vcr-path "$WORK/st.yaml" \
    "$@")
STATUS=$?
set -e

# What the stateful phase sent: requests per operation, and how many succeeded.
if [ -f "$WORK/st.yaml" ]; then
    curl -sf "$URL/api/openapi.json" > "$WORK/openapi.json" || true
    "$VENV/bin/python" - "$WORK/st.yaml" "$WORK/openapi.json" <<'PY' || true
import collections, json, re, sys, urllib.parse
text = open(sys.argv[1], encoding="utf-8").read()
paths = json.load(open(sys.argv[2]))["paths"]
# Literal segments first: /api/customers/unresolved before /api/customers/{id}.
routes = sorted(((p, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "$")) for p in paths),
                key=lambda r: r[0].count("{"))
sent, ok = collections.Counter(), collections.Counter()
for item in text.split("\n- id: ")[1:]:
    if "\n    name: 'stateful'" not in item:
        continue
    method = re.search(r"\n    method: '(\w+)'", item).group(1)
    path = urllib.parse.urlsplit(re.search(r"\n    uri: '([^']*)'", item).group(1)).path
    code = re.search(r"\n      code: '(\d+)'", item)
    label = next((f"{method} {p}" for p, rx in routes if rx.match(path)), f"{method} (no route)")
    sent[label] += 1
    ok[label] += bool(code and code.group(1).startswith("2"))
print(f"stateful phase: {sum(sent.values())} requests, {sum(ok.values())} answered 2xx, "
      f"{len(sent)} operations ({sum(1 for k in sent if ok[k])} with a 2xx)")
for label, n in sorted(sent.items()):
    print(f"  {label:55} {n:5} sent {ok[label]:5} 2xx")
PY
fi

if grep -q "ERROR\|panicked" "$WORK/server.log"; then
    echo "--- server errors ---" >&2
    grep "ERROR\|panicked" "$WORK/server.log" | head -50 >&2
fi
exit $STATUS
