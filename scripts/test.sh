#!/usr/bin/env bash
# Every test: lint, the Rust suites on SQLite and again on a private PostgreSQL
# cluster, schemathesis against the OpenAPI document on both, and the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "build"
cargo build --workspace --all-targets

step "lint"
cargo clippy --workspace --all-targets -q -- -D warnings

step "Rust tests on SQLite"
cargo test --workspace

step "Rust tests on PostgreSQL"
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
NOVABILLING_TEST_DATABASE_URL=$NOVABILLING_TEST_DATABASE_URL cargo test --workspace

step "schemathesis on SQLite"
ST_MAX_TIME=${ST_MAX_TIME:-60} scripts/schemathesis.sh
step "schemathesis on PostgreSQL"
ST_MAX_TIME=${ST_MAX_TIME:-60} DATABASE_URL=$NOVABILLING_TEST_DATABASE_URL scripts/schemathesis.sh

step "the main job"
NOVABILLING_DEMO_DIR=$(mktemp -d) scripts/demo.sh

step "all tests passed"
