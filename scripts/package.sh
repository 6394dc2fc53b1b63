#!/usr/bin/env bash
# What ships, built as it ships and installed as users install it:
#   target/packages/python/  the abi3 wheel (manylinux2014: glibc 2.17) and the sdist
#   target/packages/cli/     the `novabilling` command's wheel (the binary only, as ruff ships)
#   target/packages/python-testing/  novabilling-testing, the in-process test server (novabilling[testing])
#   target/packages/node/    novabilling-<v>.tgz and novabilling-linux-x64-gnu-<v>.tgz
#   target/packages/kotlin/  the jars: novabilling (carrying linux-x86-64/libnovabilling_uniffi.so) and novabilling-testing (its own library)
# Native code is built (scripts/package-build.sh) in the `dist` profile and linked by zig
# against glibc 2.17 (cargo-zigbuild's zig, for maturin too). Then each package is
# installed into a clean place with only its own tool (pip into a fresh
# virtualenv of every CPython 3.9 to 3.13; npm install of the two tarballs;
# Maven from the local repository in a separate consumer project) and runs
# the seed samples against the dev server.
#   scripts/package.sh           # build (scripts/package-build.sh), check sizes and tags, install, run
#   scripts/package.sh --built   # skip the build: package-build.sh has run (scripts/test.sh runs it beside the tests)
#   scripts/package.sh --sdist   # also build the sdist with pip (a full Rust build, about 6 min)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

if [ "${1:-}" = --built ]; then
  shift
else
  scripts/package-build.sh
fi
venv=${NOVABILLING_PY_VENV:-$PWD/target/py-venv}
export PATH="$venv/bin:$PATH"
dist=$PWD/target/packages
native=$(dist_native)
version=$(python3 scripts/versions.py --print)
wheel=$(ls "$dist"/python/novabilling-*.whl)
cli_wheel=$(ls "$dist"/cli/novabilling_cli-*.whl)
rm -rf "$dist"/node "$dist"/kotlin && mkdir -p "$dist"/{node,kotlin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "the server for the seed samples"
cargo build -q -p novabilling-server
start_server "$work" --database "sqlite://$work/novabilling.db"
export NOVABILLING_API_KEY NOVABILLING_BASE_URL

for minor in 9 10 11 12 13; do
  py=$(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3."$minor".*/bin/python3."$minor" 2>/dev/null | tail -1 || true)
  if [ -z "$py" ]; then
    echo "CPython 3.$minor is not on this machine (pyenv)" >&2
    exit 1
  fi
  step "Python 3.$minor: the wheel in a clean virtualenv, the seed samples and the vectors (webhooks too)"
  "$py" -m venv "$work/py3$minor"
  "$work/py3$minor/bin/pip" install -q --disable-pip-version-check "$wheel" "pytest>=8"
  (cd "$work" && "$work/py3$minor/bin/python" -c "import novabilling, sys; assert novabilling.__version__ == '$version', novabilling.__version__; print('novabilling', novabilling.__version__, 'on', sys.version.split()[0])")
  "$work/py3$minor/bin/python" python/examples/seed_flow.py >/dev/null
  "$work/py3$minor/bin/python" python/examples/async_flow.py >/dev/null
  "$work/py3$minor/bin/python" -m pytest -q -p no:cacheprovider python/tests/test_seeds.py python/tests/test_vectors.py \
    python/tests/test_settings.py python/tests/test_webhooks.py | tail -1
done

step "the CLI: pip install novabilling[cli] from the built wheels alone, then the command against the server"
"$py" -m venv "$work/cli"
"$work/cli/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$dist/python" --find-links "$dist/cli" "novabilling[cli]"
"$work/cli/bin/novabilling" --version
"$work/cli/bin/novabilling" customers list --limit 1 | "$work/cli/bin/python" -c "import json, sys; page = json.load(sys.stdin); print('novabilling customers list:', page['meta']['total'], 'customers')"

step "the test server: pip install novabilling[testing] from the built wheels (CPython 3.9), its suite with the pytest plugin"
out=$("$work/py39/bin/python" -c "import novabilling.testing" 2>&1 || true)
grep -q 'pip install "novabilling\[testing\]"' <<<"$out" ||
  { echo "no clear error without novabilling-testing: $out" >&2; exit 1; }
"$work/py39/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$dist/python" \
  --find-links "$dist/python-testing" "novabilling[testing]"
"$work/py39/bin/python" -m pytest -q -p no:cacheprovider python-testing/tests | tail -1

if [ "${1:-}" = --sdist ]; then
  step "Python: the sdist builds with pip where Rust exists"
  python3 -m venv "$work/sdist"
  "$work/sdist/bin/pip" install -q --disable-pip-version-check "$dist"/python/novabilling-*.tar.gz
  "$work/sdist/bin/python" python/examples/seed_flow.py >/dev/null
fi

step "Node: the two tarballs installed with npm in a clean folder, require and import"
scripts/node-env.sh >/dev/null
plat=node/npm/linux-x64-gnu
cp "$native/libnovabilling_node.so" "$plat/novabilling.linux-x64-gnu.node"
(cd "$plat" && npm pack --silent --pack-destination "$dist/node" >/dev/null)
rm "$plat/novabilling.linux-x64-gnu.node"
# The main package names the platform package in optionalDependencies at pack
# time, as napi-rs's `prepublish` does: the checkout's own npm install must
# not look for it on the registry.
stage="$work/novabilling-stage"
mkdir -p "$stage" && cp -r node/lib node/native.d.ts node/testing.js node/testing.mjs node/testing.d.ts node/README.md node/package.json "$stage/"
node -e '
  const fs = require("fs"), p = process.argv[1] + "/package.json";
  const pkg = JSON.parse(fs.readFileSync(p, "utf8"));
  pkg.optionalDependencies = { [require(process.argv[2]).name]: pkg.version };
  delete pkg.scripts; delete pkg.devDependencies;
  fs.writeFileSync(p, JSON.stringify(pkg, null, 2) + "\n");' "$stage" "$PWD/$plat/package.json"
(cd "$stage" && npm pack --silent --pack-destination "$dist/node" >/dev/null)
# @novabilling/testing carries its native module (a dev dependency, linux-x64 for now).
tstage="$work/testing-stage"
mkdir -p "$tstage" && cp -r node-testing/lib node-testing/native.d.ts node-testing/README.md node-testing/package.json "$tstage/"
cp "$native/libnovabilling_testing_node.so" "$tstage/novabilling-testing.node"
node -e '
  const fs = require("fs"), p = process.argv[1] + "/package.json";
  const pkg = JSON.parse(fs.readFileSync(p, "utf8"));
  delete pkg.scripts; delete pkg.devDependencies;
  fs.writeFileSync(p, JSON.stringify(pkg, null, 2) + "\n");' "$tstage"
(cd "$tstage" && npm pack --silent --pack-destination "$dist/node" >/dev/null)
# The CLI through npm: novabilling-cli runs the binary of its platform package.
cliplat="$work/cli-linux-x64-gnu"
cp -r cli/npm/linux-x64-gnu "$cliplat" && mkdir -p "$cliplat/bin"
python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sys.stdout.buffer.write(z.read(next(n for n in z.namelist() if n.endswith(".data/scripts/novabilling"))))' "$cli_wheel" >"$cliplat/bin/novabilling"
chmod +x "$cliplat/bin/novabilling"
(cd "$cliplat" && npm pack --silent --pack-destination "$dist/node" >/dev/null)
clistage="$work/cli-stage"
cp -r cli/npm/novabilling-cli "$clistage" && cp cli/README.md "$clistage/"
(cd "$clistage" && npm pack --silent --pack-destination "$dist/node" >/dev/null)
for t in "$dist"/node/*.tgz; do echo "  $(basename "$t"): $(du -k "$t" | cut -f1) KiB"; done
(cd node && npx tsc -p tsconfig.json)
app="$work/node-app"
mkdir -p "$app" && cp node/examples/require_flow.cjs node/dist/examples/seed_flow.mjs "$app/"
(
  cd "$app"
  npm init -y >/dev/null
  npm install --no-fund --no-audit --loglevel=error "$dist"/node/novabilling-linux-x64-gnu-*.tgz "$dist/node/novabilling-$version.tgz"
  test ! -e node_modules/novabilling/novabilling.node
  node require_flow.cjs | tail -1
  node seed_flow.mjs >/dev/null && echo "seed_flow.mjs (import) ran"
  node -e "const n = require('novabilling'); if (n.VERSION !== '$version') throw new Error('VERSION is ' + n.VERSION)"
  # novabilling/testing without its package: the error says what to install.
  out=$(node -e "require('novabilling/testing')" 2>&1 || true)
  grep -q "npm install --save-dev @novabilling/testing" <<<"$out" ||
    { echo "no clear error without @novabilling/testing: $out" >&2; exit 1; }
  npm install --no-fund --no-audit --loglevel=error --save-dev "$dist"/node/novabilling-testing-"$version".tgz
  node --input-type=module -e "
    import { startTestServer } from 'novabilling/testing';
    const srv = await startTestServer();
    const c = await srv.client().customers.create({ externalId: 'u1', email: 'u1@example.com' });
    const d = await srv.webhooks.waitFor('customer.created');
    await srv.close();
    if (!d.verified || !d.body.includes(c.id)) throw new Error('no verified delivery');
    console.log('novabilling/testing: a test server from the packed tarballs, a customer and its webhook');
  "
  # The CLI from its two tarballs: the command on PATH, against the server.
  npm install --no-fund --no-audit --loglevel=error "$dist"/node/novabilling-cli-linux-x64-gnu-"$version".tgz \
    "$dist"/node/novabilling-cli-"$version".tgz
  test "$(npx --no-install novabilling --version)" = "novabilling $version"
  npx --no-install novabilling customers list --limit 1 --format json |
    node -e "let t = ''; process.stdin.on('data', (d) => (t += d)).on('end', () => console.log('npx novabilling customers list:', JSON.parse(t).meta.total, 'customers'))"
  code=0; npx --no-install novabilling customers get cust_missing 2>/dev/null || code=$?
  test "$code" = 1 || { echo "npx novabilling: a 404 exited $code, not 1" >&2; exit 1; }
  # Without its platform package the error names the package to install.
  rm -rf node_modules/novabilling-linux-x64-gnu
  out=$(node -e "new (require('novabilling').NovaBillingClient)({ token: 'sk_test_x' })" 2>&1 || true)
  grep -q "novabilling-linux-x64-gnu is not installed" <<<"$out" ||
    { echo "no clear error without the platform package: $out" >&2; exit 1; }
  echo "without the platform package: a clear error names it"
)

step "Kotlin: the jar carries its native library; a consumer project uses only the coordinate"
mkdir -p kotlin/target/jar-native/linux-x86-64
cp "$native/libnovabilling_uniffi.so" kotlin/target/jar-native/linux-x86-64/
scripts/kotlin.sh build >/dev/null
mvn -B -q -ntp -f kotlin/pom.xml -Dmaven.test.skip=true install
jar=kotlin/target/novabilling-$version.jar
jar tf "$jar" | grep -q 'linux-x86-64/libnovabilling_uniffi.so' || { echo "$jar lacks its native library" >&2; exit 1; }
cp "$jar" "$dist/kotlin/"
# The test server's jar (dev.novabilling:novabilling-testing), carrying its own library.
mkdir -p kotlin-testing/target/jar-native/linux-x86-64
cp "$native/libnovabilling_testing_uniffi.so" kotlin-testing/target/jar-native/linux-x86-64/
mvn -B -q -ntp -f kotlin-testing/pom.xml -Dmaven.test.skip=true install
tjar=kotlin-testing/target/novabilling-testing-$version.jar
jar tf "$tjar" | grep -q 'linux-x86-64/libnovabilling_testing_uniffi.so' || { echo "$tjar lacks its native library" >&2; exit 1; }
cp "$tjar" "$dist/kotlin/"
for j in "$dist"/kotlin/*.jar; do echo "  $(basename "$j"): $(du -k "$j" | cut -f1) KiB"; done
# The checkout's own builds go on loading the debug libraries (jna.library.path).
rm -rf kotlin/target/jar-native kotlin/target/classes/linux-x86-64 kotlin-testing/target/jar-native kotlin-testing/target/classes/linux-x86-64
# `package` runs the consumer's JUnit test first: a TestServer from the installed testing jar.
mvn -B -q -ntp -f kotlin/consumer/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp "kotlin/consumer/target/classes:$(cat kotlin/consumer/target/classpath.txt)" dev.novabilling.examples.SeedFlowKt >/dev/null
echo "the consumer ran the seed flow and its JUnit test on a TestServer from the installed jars, no jna.library.path"

step "packages built, installed and run"
ls -l "$dist"/python "$dist"/node "$dist"/kotlin
