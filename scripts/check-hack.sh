#!/usr/bin/env bash
# Fails when building one package alone would give a shared dependency other
# features than the whole workspace build does (and so compile it again):
# then add the features it names to hack/Cargo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
tree() {
  cargo tree "$@" --target x86_64-unknown-linux-gnu --prefix none -f '{p}|{f}' 2>/dev/null |
    sed 's/ (\*)//; s/ (proc-macro)//' | sort -u
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tree --workspace -e normal,build,dev >"$dir/workspace"
# The selections the scripts build: maturin, napi, kotlin.sh and swift-check.sh,
# schemathesis.sh, bench.sh (demo.sh builds the workspace's). Feature sets are
# what this can see; a dependency may still hash differently in a selection
# (uniffi alone did), so the scripts keep to these selections.
tree -p novabilling-python -e normal,build >"$dir/python"
tree -p novabilling-node -e normal,build >"$dir/node"
tree -p novabilling-uniffi -p novabilling-server -e normal,build >"$dir/kotlin"
tree -p novabilling-server -e normal,build >"$dir/server"
tree -p novabilling-server -p novabilling-bench -p novabilling-uniffi -e normal,build >"$dir/bench"
python3 - "$dir" <<'PY'
import sys
from pathlib import Path

def load(p):
    d = {}
    for line in Path(p).read_text().splitlines():
        if "|" in line:
            pkg, feats = line.split("|", 1)
            d.setdefault(pkg, set()).update(f for f in feats.split(",") if f)
    return d

root = Path(sys.argv[1])
ws = load(root / "workspace")
bad = 0
for sel in ("python", "node", "kotlin", "server", "bench"):
    for pkg, feats in sorted(load(root / sel).items()):
        if feats != ws.get(pkg, set()):
            bad += 1
            print(f"{sel}: {pkg} lacks {sorted(ws.get(pkg, set()) - feats)}, adds {sorted(feats - ws.get(pkg, set()))}")
sys.exit(1 if bad else 0)
PY
echo "feature sets agree: single-package builds reuse the workspace's"
