#!/usr/bin/env bash
# Builds an optimised, unsanitised viewsan into build-release/ and runs the benchmarks; each
# prints JSON on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
release="$root/build-release"
export NODE_PATH=/usr/share/nodejs
# The fixtures the guard benchmark runs are built with the tests.
cmake -S "$root" -B "$release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIEWSAN_SANITIZE=OFF \
  -DVIEWSAN_BUILD_TESTS=ON >/dev/null
cmake --build "$release" -j "$(nproc)" \
  --target viewsan-instrument viewsan-shim-wasm sample-invert js-test-fixtures >/dev/null
# The wasm-opt of the Binaryen the tool links (132, from the cache scripts/build-binaryen.sh fills).
wasm_opt="$(sed -n 's/^VIEWSAN_BINARYEN_ROOT:PATH=//p' "$release/CMakeCache.txt")/bin/wasm-opt"
# viewsan-instrument against wasm-opt on the invert sample and every corpus module (installed by
# setup.sh); several minutes, most of it esbuild's 14 MB.
node "$root/bench/instrument-time.mjs" --instrument "$release/instrument/viewsan-instrument" \
  --wasm-opt "$wasm_opt" --corpus "$release/samples/invert/invert.wasm:$release/samples/invert/invert.js"
node "$root/bench/guard.mjs" --build "$release"
# The shim's hooks against an uninstrumented build, -fsanitize=address and -sSAFE_HEAP=1
# (bench/shim/run.mjs; a few minutes, most of it AddressSanitizer's churn).
node "$root/bench/shim/run.mjs" --instrument "$release/instrument/viewsan-instrument"
# Real npm packages (tests/corpus) without and with viewsan, through their own loaders.
node "$root/bench/realworld.mjs" --instrument "$release/instrument/viewsan-instrument" \
  --wasm-opt "$wasm_opt"
# Chatty boundaries (sql.js bind/step, @jsquash/jpeg's embind byte loops), each variant timed in
# its own process.
node "$root/bench/boundary.mjs" --instrument "$release/instrument/viewsan-instrument" \
  --wasm-opt "$wasm_opt"
