#!/usr/bin/env bash
# The Kotlin/JVM package: builds the native library (bindings/uniffi) and the
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
native=$(target_dir)
gen=kotlin/target/generated-sources/uniffi
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$native/uniffi-bindgen" generate --no-format --library "$native/libnovabilling_uniffi.so" \
  --language kotlin --out-dir "$fresh" >/dev/null
# Replaced only when it changed, so Maven does not recompile an unchanged tree.
if ! diff -rq "$fresh" "$gen" >/dev/null 2>&1; then
  # Kotlin's incremental compiler misses a changed generated signature (a
  # test then fails with NoSuchMethodError): compile everything afresh.
  rm -rf "$gen" kotlin/target/classes kotlin/target/test-classes kotlin/target/kotlin-ic kotlin/target/maven-status
  mkdir -p "$(dirname "$gen")"
  cp -r "$fresh" "$gen"
fi

mvn_args=(-B -ntp -Dstyle.color=never -f kotlin/pom.xml "-Dnovabilling.native.dir=$native")
case "$mode" in
  test)
    mvn "${mvn_args[@]}" test dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
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
