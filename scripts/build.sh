#!/usr/bin/env bash
# Installs what is missing, then configures and builds everything into build/ (or $VIEWSAN_BUILD_DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
build="${VIEWSAN_BUILD_DIR:-$root/build}"
export NODE_PATH=/usr/share/nodejs
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja >/dev/null
fi
cmake --build "$build" -j "$(nproc)"
