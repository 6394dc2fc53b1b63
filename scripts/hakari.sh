#!/usr/bin/env bash
# cargo-hakari at a pinned version, installed into target/tools on first use,
# then run with the given arguments (from the workspace root):
#   scripts/hakari.sh generate              # rewrite hack/ after a dependency change
#   scripts/hakari.sh generate --diff       # fails when hack/ is not what hakari generates
#   scripts/hakari.sh manage-deps --dry-run # fails when a member does not depend on hack/
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.9.39
root=$PWD/target/tools
bin=$root/bin/cargo-hakari
if ! "$bin" --version 2>/dev/null | grep -q " $version\$"; then
  echo "installing cargo-hakari $version into target/tools" >&2
  # A debug build: 50 s to install on 2 cores against 125 s optimized, and it
  # still reads this workspace in under a second.
  cargo install -q --locked --debug --root "$root" "cargo-hakari@$version" >&2
fi
# Through cargo, which tells it where cargo is (it reruns cargo for the lockfile).
PATH="$root/bin:$PATH" exec cargo hakari "$@"
