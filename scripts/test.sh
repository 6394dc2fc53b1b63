#!/usr/bin/env bash
# Every test: lint, the Rust suites on SQLite, the Python package (wheel, stubs,
# types, pytest), the Node package (napi build, npm pack and a clean install,
# tsc --strict, node --test), Kotlin and Swift, the packages as they ship
# (scripts/package.sh), the Rust suites again on a private PostgreSQL
# cluster, the admin page in headless Chromium on both databases, schemathesis
# against the OpenAPI document on both, the main job, a short fuzzing run of
# every target, and a smoke run of the benchmark harness.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "build"
cargo build --workspace --all-targets

step "lint"
cargo clippy --workspace --all-targets -q -- -D warnings
scripts/hakari.sh generate --diff
scripts/hakari.sh manage-deps --dry-run
python3 scripts/versions.py

step "Rust tests on SQLite"
cargo test --workspace

step "Python: wheel, clean install, stubs, types, tests"
venv=$(scripts/python-env.sh)
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

step "packages as they ship: wheel (manylinux2014) on CPython 3.9-3.13, npm tarballs, the jar from ~/.m2"
scripts/package.sh

step "Rust tests on PostgreSQL: the suites that reach a database (core's and the server's)"
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
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

step "fuzz: each target (core and the server's requests) for 10 s from the committed seeds, a debug build (scripts/fuzz.sh 600 for the long run with ASan)"
scripts/fuzz.sh --smoke 10

step "benchmark harness smoke (tiny counts, no timing checked)"
scripts/bench.sh --smoke

step "all tests passed"
