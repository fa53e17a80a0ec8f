#!/usr/bin/env bash
# The whole test suite: install, build, run every CTest suite (GoogleTest, node --test, FileCheck
# fixtures, headless Chromium), then one closing line with the counts.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${VIEWSAN_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" || { echo "0 passed, 1 failed (the build failed)"; exit 1; }
log="$build/ctest.log"
ctest --test-dir "$build" --output-on-failure -j 2 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
if [ -n "$summary" ]; then
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  failed=$(sed -E 's/.*, ([0-9]+) tests failed.*/\1/' <<<"$summary")
  echo "$((total - failed)) passed, $failed failed"
else
  echo "0 passed, 1 failed (ctest did not run)"
  status=1
fi
exit "$status"
