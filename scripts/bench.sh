#!/usr/bin/env bash
# Every benchmark in one command: builds what they measure, then bench/run.py
# writes BENCHMARKS.md and bench/plots/*.png.
#   scripts/bench.sh            # the full run: release builds, about 45-60 min on 2 cores (the soak 15-30 of them)
#   scripts/bench.sh --smoke    # every path with tiny counts on debug builds (CI; the figures mean nothing)
#   scripts/bench.sh --sections soak   # the soak alone: replaces only BENCHMARKS.md's Soak part
# Extra arguments go to bench/run.py (e.g. --sections client, --soak-calls 200000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

profile=release
args=()
sections=all
prev=
for a in "$@"; do
  [ "$a" = --smoke ] && profile=dev
  [ "$prev" = --sections ] && sections=$a
  case "$a" in --sections=*) sections=${a#--sections=} ;; esac
  args+=("$a")
  prev=$a
done

if ! command -v wrk >/dev/null 2>&1; then
  step "installing wrk (Debian)"
  sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
  # Without package lists (a fresh image), update them once and try again.
  "${sudo[@]}" apt-get install -y -q wrk >/dev/null ||
    { "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q wrk >/dev/null; }
fi

step "building ($profile): server, fixture, Rust client, native libraries"
cargo_profile=(); [ "$profile" = release ] && cargo_profile=(--release)
cargo build -q "${cargo_profile[@]}" -p novabilling-server -p novabilling-bench -p novabilling-uniffi
venv=$(PY_PROFILE=$profile scripts/python-env.sh)
# The clients a user would pick instead, measured beside ours in the same run.
"$venv/bin/pip" install -q --disable-pip-version-check "httpx>=0.28,<1" "requests>=2.32,<3" "matplotlib>=3.9,<4" \
  "pyreqwest>=0.15,<0.16" "aiohttp>=3.12,<4" "stripe>=16,<17"
(cd bench/clients && npm ci --no-audit --no-fund --silent)
NODE_PROFILE=$profile scripts/node-env.sh >/dev/null
scripts/kotlin.sh build

pg=()
# Only the server section uses PostgreSQL; a run without it neither starts the cluster nor stops one already running.
if [ "$sections" = all ] || [[ ",$sections," == *,server,* ]]; then
  step "PostgreSQL"
  eval "$(scripts/pg.sh start)"
  trap 'scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
  pg=(--pg-url "$NOVABILLING_TEST_DATABASE_URL")
fi

step "benchmarks"
"$venv/bin/python" bench/run.py --profile "$profile" "${pg[@]}" "${args[@]}"
