# Shared by the scripts: where cargo puts things, and the server as a child.
# shellcheck shell=bash

# Each step names itself and how long the run has taken so far (CI's budget).
step() { printf '\n==> %s  [%ds]\n' "$*" "$SECONDS"; }

target_dir() {
  echo "${CARGO_TARGET_DIR:-$PWD/target}/x86_64-unknown-linux-gnu/debug"
}

# start_server DIR [serve flags...]: starts the dev server on a free loopback
# port, sets NOVABILLING_BASE_URL and NOVABILLING_API_KEY, stops it on exit.
start_server() {
  local dir=$1; shift
  local out="$dir/server.out"
  "$(target_dir)/novabilling-server" serve --bind 127.0.0.1:0 --dev --dev-key-file "$dir/dev-key" "$@" >"$out" 2>"$dir/server.log" &
  SERVER_PID=$!
  trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$out" 2>/dev/null; then
      NOVABILLING_BASE_URL=$(sed -n 's/^listening on //p' "$out" | head -1)
      NOVABILLING_API_KEY=$(cat "$dir/dev-key")
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$dir/server.log" >&2; echo "the server exited" >&2; return 1; }
    sleep 0.1
  done
  echo "the server did not start in 10 s" >&2
  cat "$dir/server.log" >&2
  return 1
}

# What ships is built in a cargo target folder of its own (scripts/package-build.sh),
# so that its long release build can run while other cargo commands use target/.
dist_target() { echo "$PWD/target/dist"; }
dist_native() { echo "$(dist_target)/x86_64-unknown-linux-gnu/dist"; }
