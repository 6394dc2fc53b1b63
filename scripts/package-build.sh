#!/usr/bin/env bash
# Builds what ships, in the `dist` profile (Cargo.toml), linked by zig against
# glibc 2.17 (cargo-zigbuild's zig, for maturin too), and checks its sizes and
# platform tags:
#   target/packages/python/  the abi3 wheel (manylinux2014: glibc 2.17) and the sdist
#   target/packages/cli/     the `novabilling` command's wheel (the binary only, as ruff ships)
#   target/packages/python-testing/  novabilling-testing, the in-process test server (novabilling[testing])
#   target/dist/x86_64-unknown-linux-gnu/dist/  the Node modules and the JVM libraries
# The tree is cargo's own target folder (target/dist): cargo locks a target
# folder while it builds, and this build (single-core fat-LTO links, most of
# its 8 minutes) runs beside the tests in scripts/test.sh.
# scripts/package.sh runs it, then packs and installs the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

venv=${NOVABILLING_PY_VENV:-$PWD/target/py-venv}
[ -x "$venv/bin/cargo-zigbuild" ] || scripts/python-env.sh >/dev/null
export PATH="$venv/bin:$PATH"
dist=$PWD/target/packages
native=$(dist_native)
rm -rf "$dist" && mkdir -p "$dist"/{python,python-testing,cli}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Every native build links with cargo-zigbuild's zig wrappers (glibc 2.17). maturin's
# own --zig makes wrappers of its own, and cargo, seeing another linker, built
# the whole tree twice in this profile (about 2 minutes). So cargo-zigbuild is
# asked for the variables it gives cargo (CARGO points at a script that
# prints them; `cargo zigbuild` would set CARGO itself), and every build
# below runs with them.
zigenv="$work/zig.env"
printf '#!/bin/sh\nexport -p | grep -E "^export (CARGO_|CC_|CXX_|AR_|RANLIB_|BINDGEN_EXTRA|CMAKE_TOOLCHAIN|__CARGO_)" > "%s"\n' \
  "$zigenv" >"$work/print-env"
chmod +x "$work/print-env"
CARGO_TARGET_DIR=$(dist_target) CARGO="$work/print-env" cargo-zigbuild zigbuild --profile dist --target x86_64-unknown-linux-gnu.2.17 >/dev/null
grep -q CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER "$zigenv" ||
  { echo "cargo-zigbuild gave cargo no linker; see $zigenv" >&2; exit 1; }
with_zig() { (source "$zigenv" && CARGO_TARGET_DIR=$(dist_target) "$@"); }

step "build: the Node module and the JVM library (zig, glibc 2.17)"
with_zig cargo build -q --profile dist -p novabilling-node -p novabilling-uniffi -p novabilling-testing-node \
  -p novabilling-testing-uniffi --target x86_64-unknown-linux-gnu

step "build: the wheel (maturin, manylinux2014) and the sdist"
(cd python && with_zig maturin build -q --profile dist --compatibility manylinux2014 \
  --target x86_64-unknown-linux-gnu -o "$dist/python" && maturin sdist -o "$dist/python") >/dev/null
wheel=$(ls "$dist"/python/novabilling-*.whl)

step "build: the CLI's wheel (maturin bin bindings, manylinux2014)"
(cd cli && with_zig maturin build -q --profile dist --compatibility manylinux2014 \
  --target x86_64-unknown-linux-gnu -o "$dist/cli") >/dev/null
cli_wheel=$(ls "$dist"/cli/novabilling_cli-*.whl)
echo "  $(basename "$cli_wheel"): $(du -k "$cli_wheel" | cut -f1) KiB"

step "build: the test server's wheel (novabilling-testing: novabilling[testing])"
(cd python-testing && with_zig maturin build -q --profile dist --compatibility manylinux2014 \
  --target x86_64-unknown-linux-gnu -o "$dist/python-testing") >/dev/null
testing_wheel=$(ls "$dist"/python-testing/novabilling_testing-*.whl)
echo "  $(basename "$testing_wheel"): $(du -k "$testing_wheel" | cut -f1) KiB (the SDK's own wheel does not carry the server)"

step "sizes and platform tags"
python3 scripts/sizes.py --wheel "$wheel" --lib "$native/libnovabilling_node.so" --lib "$native/libnovabilling_uniffi.so"
auditwheel show "$wheel" | tee "$dist/python/auditwheel.txt" | sed 's/^/  /'
grep -q 'manylinux_2_17_x86_64' "$dist/python/auditwheel.txt" ||
  { echo "auditwheel does not report manylinux2014 (glibc 2.17)" >&2; exit 1; }
