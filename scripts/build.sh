#!/usr/bin/env bash
# Installs what is missing, then configures and builds everything into build/ (or $VIEWSAN_BUILD_DIR),
# with AddressSanitizer and UBSan: the build the test suite runs. A plain `cmake -S . -B DIR`
# builds an optimized tool without them, as a user installs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
build="${VIEWSAN_BUILD_DIR:-$root/build}"
export NODE_PATH=/usr/share/nodejs
# Configured every time, with the options given, so that a build directory configured before
# (with other options in its cache) cannot silently build something else.
generator=()
[ -f "$build/CMakeCache.txt" ] || generator=(-G Ninja)
cmake -S "$root" -B "$build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIEWSAN_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
