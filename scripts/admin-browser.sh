#!/usr/bin/env bash
# The admin page's real-browser tests (server/admin-tests): headless Chromium
# driven by playwright-core signs in, searches, filters, pages, edits through a
# conflict, binds, imports a Stripe file, makes and revokes a key, and checks a
# read-only key's session and forged writes; axe (WCAG 2 A/AA) runs on every
# page, and full-page screenshots land in target/admin-screenshots/<db>/.
#
#   scripts/admin-browser.sh                 # SQLite (a temp file per test file)
#   eval "$(scripts/pg.sh start)"; scripts/admin-browser.sh   # and PostgreSQL too
#
# Installs what it needs: Debian's chromium (apt-get) when /usr/bin/chromium is
# missing, and the tests' npm packages (npm ci, server/admin-tests/package-lock.json;
# playwright-core never downloads a browser). Needs Node 20+.
# Env: NOVABILLING_SERVER_BIN (the server binary; default: cargo build, then
#      target/x86_64-unknown-linux-gnu/debug/novabilling-server),
#      NOVABILLING_TEST_DATABASE_URL (a postgres:// URL: run on it too),
#      ADMIN_TEST_CHROMIUM (another Chromium; default /usr/bin/chromium).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

CHROMIUM="${ADMIN_TEST_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
    step "installing Debian's chromium"
    sudo=()
    if [ "$(id -u)" != 0 ]; then
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
    echo "admin-browser.sh: Node 20 or later is needed (found $(node --version))" >&2
    exit 1
fi

if [ -z "${NOVABILLING_SERVER_BIN:-}" ]; then
    step "building the server"
    cargo build -q -p novabilling-server
    NOVABILLING_SERVER_BIN="$(target_dir)/novabilling-server"
fi
export NOVABILLING_SERVER_BIN ADMIN_TEST_CHROMIUM="$CHROMIUM"

cd server/admin-tests
# Reinstall only when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci (server/admin-tests)"
    npm ci --no-fund --no-audit --loglevel=error >&2
fi

# One test file at a time: each starts its own server and browser, and the
# machine may be small and busy.
run_tests() {
    local kind=$1 database=$2
    step "admin page in Chromium on $kind"
    rm -rf "$ROOT/target/admin-screenshots/$kind"
    ADMIN_TEST_DATABASE="$database" node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs
    echo "screenshots: target/admin-screenshots/$kind/"
}

run_tests sqlite sqlite
if [ -n "${NOVABILLING_TEST_DATABASE_URL:-}" ]; then
    run_tests postgres "$NOVABILLING_TEST_DATABASE_URL"
fi
