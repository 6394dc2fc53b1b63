#!/usr/bin/env bash
# The Kotlin/JVM packages (kotlin/, and the test server's kotlin-testing/): builds the native library (bindings/uniffi) and the
# server, generates the Kotlin bindings from the library with the crate's own
# uniffi-bindgen, then builds with Maven (kotlin/pom.xml) and runs the JUnit
# tests against the real server on loopback.
#   scripts/kotlin.sh          # build and test
#   scripts/kotlin.sh build    # build only; writes kotlin/target/classpath.txt (for scripts/demo.sh)
# Maven's local repository is the default ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
mode=${1:-test}

# Three builds, not one: built together, the library would take the server's
# features of core (openapi) and the generator's of uniffi (its command line).
cargo build -q -p novabilling-uniffi
cargo build -q -p novabilling-uniffi-bindgen
cargo build -q -p novabilling-server
cargo build -q -p novabilling-testing-uniffi
native=$(target_dir)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
# generate LIBRARY PROJECT: the bindings of one library into PROJECT/target/generated-sources/uniffi.
generate() {
  local gen=$2/target/generated-sources/uniffi
  rm -rf "$fresh/$2"
  "$native/uniffi-bindgen" generate --no-format --library "$native/$1" --language kotlin --out-dir "$fresh/$2" >/dev/null
  # Replaced only when it changed, so Maven does not recompile an unchanged tree.
  if ! diff -rq "$fresh/$2" "$gen" >/dev/null 2>&1; then
    # Kotlin's incremental compiler misses a changed generated signature (a
    # test then fails with NoSuchMethodError): compile everything afresh.
    rm -rf "$gen" "$2"/target/classes "$2"/target/test-classes "$2"/target/kotlin-ic "$2"/target/maven-status
    mkdir -p "$(dirname "$gen")"
    cp -r "$fresh/$2" "$gen"
  fi
}
generate libnovabilling_uniffi.so kotlin
generate libnovabilling_testing_uniffi.so kotlin-testing

mvn_args=(-B -ntp -Dstyle.color=never -f kotlin/pom.xml "-Dnovabilling.native.dir=$native")
case "$mode" in
  test)
    mvn "${mvn_args[@]}" test dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
    # The test server's artifact (kotlin-testing/) depends on the SDK's coordinate:
    # install the SDK's jar into ~/.m2 (scripts/package.sh installs the shipped one).
    mvn "${mvn_args[@]}" -q -Dmaven.test.skip=true install
    mvn -B -ntp -Dstyle.color=never -f kotlin-testing/pom.xml "-Dnovabilling.native.dir=$native" test
    ;;
  build)
    mvn "${mvn_args[@]}" -DskipTests test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
    ;;
  *)
    echo "usage: $0 [test|build]" >&2
    exit 2
    ;;
esac
