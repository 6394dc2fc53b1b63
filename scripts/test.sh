#!/usr/bin/env bash
# Every test: lint, the Rust suites on SQLite, the Python package (wheel, stubs,
# types, pytest), the Node package (napi build, npm pack and a clean install,
# tsc --strict, node --test), Kotlin and Swift, the Rust suites again on a
# private PostgreSQL cluster, the admin page in headless Chromium on both
# databases, schemathesis against the OpenAPI document on both, the main job,
# a smoke run of the benchmark harness, the packages as they ship
# (scripts/package.sh), and a short fuzzing run of every target.
# The packages' release build and the fuzzing run go on in the background from
# the start, beside the other steps, in target folders of their own: the
# build's fat-LTO links and most tests use one core, and the other would idle.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "in the background from now: the packages' release build (scripts/package-build.sh), then fuzzing"
scripts/python-env.sh --tools >/dev/null
bg=$(mktemp -d)
# A process group of its own (setsid), so that a failing run stops it whole.
setsid bash -c '
  scripts/package-build.sh >"$1/packages.log" 2>&1; echo $? >"$1/packages.rc"
  # Each fuzz target for 10 s from the committed seeds, a debug build (scripts/fuzz.sh 600 for the long run with ASan).
  scripts/fuzz.sh --smoke 10 >"$1/fuzz.log" 2>&1; echo $? >"$1/fuzz.rc"
' background "$bg" &
background=$!
cleanup() {
  kill -- -"$background" 2>/dev/null || true
  scripts/pg.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

step "build"
cargo build --workspace --all-targets
venv=$(scripts/python-env.sh)

# await NAME: waits for NAME from the background, prints its log, fails if it failed.
await() {
  step "$1 (run in the background from the start; its log follows)"
  until [ -e "$bg/$1.rc" ]; do
    kill -0 "$background" 2>/dev/null || [ -e "$bg/$1.rc" ] ||
      { cat "$bg/$1.log" 2>/dev/null; echo "the background job stopped before $1 finished" >&2; exit 1; }
    sleep 2
  done
  cat "$bg/$1.log"
  [ "$(cat "$bg/$1.rc")" = 0 ] || { echo "$1 failed (above)" >&2; exit 1; }
}

step "lint"
cargo clippy --workspace --all-targets -q -- -D warnings
scripts/hakari.sh generate --diff
scripts/hakari.sh manage-deps --dry-run
python3 scripts/versions.py

step "Rust tests on SQLite"
cargo test --workspace

step "Python: wheel, clean install, stubs, types, tests"
clean=$(mktemp -d)
python3 -m venv "$clean/venv"
"$clean/venv/bin/pip" install -q --disable-pip-version-check target/wheels/novabilling-*.whl
"$clean/venv/bin/python" -c "import novabilling; novabilling.NovaBilling(token='sk_test_x'); print('clean install of', novabilling.__version__, 'works')"
rm -rf "$clean"
"$venv/bin/python" python/stubgen.py --check
"$venv/bin/python" -m mypy.stubtest novabilling novabilling_testing
"$venv/bin/python" -m mypy --strict python/examples python/novabilling python/stubgen.py python/tests/test_seeds.py \
  python-testing/novabilling_testing python-testing/tests
"$venv/bin/pytest" -q python/tests
step "Python: the test server (novabilling[testing]) and its pytest plugin, in two xdist workers"
"$venv/bin/pytest" -q -p no:cacheprovider -n 2 python-testing/tests

# The packed tarballs in a clean folder: scripts/package.sh, below.
step "Node: native module, tsc --strict, node --test"
scripts/node-env.sh >/dev/null
(cd node && rm -rf dist && npx tsc -p tsconfig.json --strict && node --test dist/tests/)
step "Node: the test server (@novabilling/testing), its test files in parallel processes"
(cd node-testing && rm -rf dist && npx tsc -p tsconfig.json && node --test dist/tests/)

# --- Kotlin and Swift (bindings/uniffi) ---
step "Kotlin: native library, generated bindings, Maven build, JUnit against the server"
scripts/kotlin.sh
step "Swift: the committed generated sources are current"
scripts/swift-check.sh
# --- end Kotlin and Swift ---

step "Rust tests on PostgreSQL: the suites that reach a database (core's and the server's)"
eval "$(scripts/pg.sh start)"
NOVABILLING_TEST_DATABASE_URL=$NOVABILLING_TEST_DATABASE_URL cargo test -p novabilling -p novabilling-server --tests

step "the admin page in a real browser (Debian's Chromium, axe), on SQLite and PostgreSQL; screenshots in target/admin-screenshots"
NOVABILLING_SERVER_BIN="$(target_dir)/novabilling-server" scripts/admin-browser.sh

step "schemathesis on SQLite and on PostgreSQL, side by side (each is one Python process and its server)"
st=$(mktemp -d)
ST_MAX_TIME=${ST_MAX_TIME:-60} scripts/schemathesis.sh >"$st/sqlite" 2>&1 &
on_sqlite=$!
ST_MAX_TIME=${ST_MAX_TIME:-60} DATABASE_URL=$NOVABILLING_TEST_DATABASE_URL scripts/schemathesis.sh >"$st/postgres" 2>&1 &
on_postgres=$!
failed=0
wait "$on_sqlite" || failed=1
wait "$on_postgres" || failed=1
for db in sqlite postgres; do echo "--- schemathesis on $db"; cat "$st/$db"; done
[ "$failed" = 0 ] || { echo "schemathesis failed (above)" >&2; exit 1; }

step "the main job"
NOVABILLING_DEMO_DIR=$(mktemp -d) scripts/demo.sh

step "benchmark harness smoke (tiny counts, no timing checked)"
scripts/bench.sh --smoke

await packages
step "packages as they ship: wheel (manylinux2014) on CPython 3.9-3.13, npm tarballs, the jar from ~/.m2"
scripts/package.sh --built

await fuzz

step "all tests passed"
