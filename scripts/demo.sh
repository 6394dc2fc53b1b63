#!/usr/bin/env bash
# The main job: the self-hosted server on its embedded SQLite database, then the
# seed flows of ../shared/seeds through every SDK that is built here.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

demo_dir=${NOVABILLING_DEMO_DIR:-.demo}
mkdir -p "$demo_dir"

step "building the server and the Rust SDK"
# The whole workspace's selection, so nothing is compiled again with other features.
cargo build -q --workspace --examples --bins

step "building the Python package"
venv=$(scripts/python-env.sh)

step "building the Node package"
scripts/node-env.sh >/dev/null
(cd node && npx tsc -p tsconfig.json)

step "building the Kotlin package"
scripts/kotlin.sh build

step "starting the server on SQLite ($demo_dir/novabilling.db)"
start_server "$demo_dir" --database "sqlite://$demo_dir/novabilling.db"
export NOVABILLING_API_KEY NOVABILLING_BASE_URL
echo "server at $NOVABILLING_BASE_URL, dev key in $demo_dir/dev-key"

step "seed flows: Rust"
"$(target_dir)/examples/seed_flow"

step "seed flows: Python"
"$venv/bin/python" python/examples/seed_flow.py
"$venv/bin/python" python/examples/async_flow.py

step "seed flows: Node"
node node/dist/examples/seed_flow.mjs

step "seed flows: Kotlin"
java -cp "$(cat kotlin/target/classpath.txt):kotlin/target/classes:kotlin/target/test-classes" \
  "-Djna.library.path=$(target_dir)" dev.novabilling.examples.SeedFlowKt

step "done"
