#!/usr/bin/env bash
# The main job end to end: build and instrument the invert sample, run its buggy twin without and
# with viewsan, its correct flow with viewsan, then the buggy page in headless Chromium through
# viewsan-devtools, and print what was caught.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${VIEWSAN_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >/dev/null || exit 1
cd "$root"
section() { printf '\n\033[1m== %s\033[0m\n' "$1"; }

section "viewsan-instrument: the hooks it put into the sample"
"$build/instrument/viewsan-instrument" "$build/samples/invert/invert.wasm" --list

section "The buggy twin without viewsan: silently wrong"
node samples/invert/run-node.mjs --build "$build/samples/invert" --flow buggy --raw

section "The buggy twin under viewsan: caught at the faulting read"
node samples/invert/run-node.mjs --build "$build/samples/invert" --flow buggy

section "The correct flow under viewsan: silent"
node samples/invert/run-node.mjs --build "$build/samples/invert" --flow correct

section "The buggy page in headless Chromium, through viewsan-devtools"
node devtools/bin/viewsan-devtools.js launch \
  --root "$root" --mount "/build=$build" \
  "/samples/invert/web/index.html?flow=buggy&build=/build/samples/invert" \
  --report "$build/demo-report.json" --timeout 60 --idle 5000
echo "(exit $? — 1 means errors were reported; JSON report: $build/demo-report.json)"
exit 0
