#!/usr/bin/env bash
# Configures the example project with emcmake, builds it (viewsan_instrument(TARGET app) runs
# after the link), and runs the instrumented app. usage: test.sh BUILD_DIR VIEWSAN_INSTRUMENT
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build=$1
tool="$(realpath "$2")"
rm -rf "$build"
export NODE_PATH=/usr/share/nodejs # Debian's Emscripten runs its JS optimizer with Debian's acorn
emcmake cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DVIEWSAN_CMAKE_DIR="$here/../../../cmake" -DVIEWSAN_INSTRUMENT_EXECUTABLE="$tool" >/dev/null
cmake --build "$build" -j 2
node "$here/run.mjs" "$build"
# A relink instruments again, from the newly linked module.
rm "$build/app.js"
cmake --build "$build" -j 2
node "$here/run.mjs" "$build"
