#!/usr/bin/env bash
# Builds an optimised, unsanitised viewsan into build-release/ and runs the benchmarks; each
# prints JSON on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
release="$root/build-release"
export NODE_PATH=/usr/share/nodejs
cmake -S "$root" -B "$release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIEWSAN_SANITIZE=OFF >/dev/null
cmake --build "$release" -j "$(nproc)" \
  --target viewsan-instrument viewsan-shim-wasm sample-invert js-test-fixtures >/dev/null
node "$root/bench/instrument-time.mjs" --instrument "$release/instrument/viewsan-instrument" \
  "$release/samples/invert/invert.wasm"
node "$root/bench/guard.mjs" --build "$release"
