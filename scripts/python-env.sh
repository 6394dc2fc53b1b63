#!/usr/bin/env bash
# Builds the Python wheels (the SDK, the test server) and installs them into a virtualenv (target/py-venv),
# with the tools the tests use. Prints the venv's path.
#   PY_PROFILE=release scripts/python-env.sh   # optimized wheel (benchmarks)
#   scripts/python-env.sh --tools              # the virtualenv and its tools only, no build (scripts/test.sh, first)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${NOVABILLING_PY_VENV:-$PWD/target/py-venv}
profile=${PY_PROFILE:-dev}
if [ ! -x "$venv/bin/maturin" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.16,<2" "pytest>=8" "mypy>=1.10" >&2
fi
# Shipped builds (scripts/package.sh): zig links for glibc 2.17 (cargo-zigbuild's
# wrappers, for maturin too); auditwheel reads the wheel's platform tag.
"$venv/bin/python" -c "import ziglang" 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check "ziglang>=0.15,<0.16" "cargo-zigbuild>=0.24,<0.25" "auditwheel>=6.4,<7" >&2
# Property tests: arbitrary values at every public function (python/tests/test_hostile_input.py).
"$venv/bin/python" -c "import hypothesis" 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check "hypothesis>=6.100,<7" >&2
# The Swift surface check parses the generated Swift with these (scripts/swift-check.sh).
"$venv/bin/python" -c "import tree_sitter, tree_sitter_swift" 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check "tree-sitter>=0.23,<0.27" "tree-sitter-swift>=0.6,<1" >&2
"$venv/bin/python" -c "import xdist" 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check "pytest-xdist>=3.6,<4" >&2
[ "${1:-}" = --tools ] && { echo "$venv"; exit 0; }
rm -rf target/wheels
(cd python && "$venv/bin/maturin" build -q --profile "$profile" --strip -o ../target/wheels \
  --target x86_64-unknown-linux-gnu -i "$venv/bin/python") >&2
# The test server's package (python-testing/).
(cd python-testing && "$venv/bin/maturin" build -q --profile "$profile" --strip -o ../target/wheels \
  --target x86_64-unknown-linux-gnu -i "$venv/bin/python") >&2
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps target/wheels/*.whl >&2
echo "$venv"
