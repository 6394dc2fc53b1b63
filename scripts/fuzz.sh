#!/usr/bin/env bash
# Fuzzes core and the server with cargo-fuzz (libFuzzer, AddressSanitizer): builds the targets
# in fuzz/ and runs each for SECONDS (default 600), starting from the committed
# seeds in fuzz/corpus/TARGET (written by fuzz/seeds.py from tests/vectors).
# What a run adds to the corpus stays in target/fuzz-corpus; a crash fails the
# script and leaves its input in fuzz/artifacts/TARGET. Prints each target's
# executions. CI runs it for a few seconds a target (scripts/test.sh), with
# --smoke: an unoptimized build without AddressSanitizer, which builds in about
# a third of the time (163 s against 461 s on 2 cores) and still runs every
# target from its seeds; the long run keeps the optimized ASan build.
#   scripts/fuzz.sh [--smoke] [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=(-O)
out=../target/fuzz
if [ "${1:-}" = --smoke ]; then
  build=(--dev -s none)
  out=../target/fuzz-smoke
  shift
fi
seconds=${1:-600}
shift $(( $# > 0 ? 1 : 0 ))
version=0.13.2
root=$PWD/target/tools
if ! "$root/bin/cargo-fuzz" --version 2>/dev/null | grep -q " $version\$"; then
  echo "installing cargo-fuzz $version into target/tools" >&2
  cargo install -q --locked --debug --root "$root" "cargo-fuzz@$version" >&2
fi
# cargo-fuzz passes rustc flags that only nightly takes (-Zsanitizer=address);
# this machine has one stable toolchain, which takes them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
export PATH=$root/bin:$PATH
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(validate decode error_body webhook_verify server_request)
cd fuzz
cargo fuzz build "${build[@]}" --target-dir "$out" >&2
for t in "${targets[@]}"; do
  mkdir -p "../target/fuzz-corpus/$t"
  log=$(mktemp)
  if ! cargo fuzz run "${build[@]}" --target-dir "$out" "$t" "../target/fuzz-corpus/$t" "corpus/$t" -- \
      -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $t failed; the input is in fuzz/artifacts/$t" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  corpus=$(ls "../target/fuzz-corpus/$t" | wc -l)
  echo "fuzz: $t: ${runs:-?} executions in ${seconds} s, no crash (corpus $corpus inputs beyond the seeds)"
  rm -f "$log"
done
