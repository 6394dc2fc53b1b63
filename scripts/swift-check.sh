#!/usr/bin/env bash
# The Swift package's generated sources are committed (no Swift toolchain here):
# regenerates them from the native library with the crate's own uniffi-bindgen
# into a temporary directory and fails when they differ from swift/Sources, then
# checks the generated surface against tests/surface.json (swift/Tests/surface.py)
# and that every Swift file, generated too, parses (swift/Tests/syntax.py).
#   scripts/swift-check.sh           # check
#   scripts/swift-check.sh --write   # regenerate and update swift/Sources
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# The library as it ships, and the generator apart (see scripts/kotlin.sh).
cargo build -q -p novabilling-uniffi
cargo build -q -p novabilling-uniffi-bindgen
native=$(target_dir)
gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT
"$native/uniffi-bindgen" generate --no-format --library "$native/libnovabilling_uniffi.so" \
  --language swift --out-dir "$gen" >/dev/null

# generated file -> its place in the package
pairs=(
  "NovaBilling.swift:swift/Sources/NovaBilling/NovaBilling.swift"
  "NovaBillingFFI.h:swift/Sources/NovaBillingFFI/include/NovaBillingFFI.h"
  "NovaBillingFFI.modulemap:swift/Sources/NovaBillingFFI/include/module.modulemap"
)
stale=0
for pair in "${pairs[@]}"; do
  from="$gen/${pair%%:*}" to=${pair#*:}
  if [ "${1:-}" = "--write" ]; then
    mkdir -p "$(dirname "$to")"
    cp "$from" "$to"
  elif ! diff -u "$to" "$from" >"$gen/diff" 2>&1; then
    echo "stale: $to differs from what uniffi-bindgen generates now:" >&2
    head -40 "$gen/diff" >&2
    stale=1
  fi
done
if [ "$stale" = 1 ]; then
  echo "run scripts/swift-check.sh --write and commit swift/Sources" >&2
  exit 1
fi
[ "${1:-}" = "--write" ] && echo "swift/Sources regenerated" || echo "swift/Sources is current"

# The generated surface against core's description (tests/surface.json), read
# with tree-sitter-swift from the test virtualenv (scripts/python-env.sh).
venv=${NOVABILLING_PY_VENV:-$PWD/target/py-venv}
"$venv/bin/python" swift/Tests/surface.py
"$venv/bin/python" swift/Tests/syntax.py
