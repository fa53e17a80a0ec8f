#!/usr/bin/env bash
# The main job end to end: build and instrument the samples, run the invert sample's buggy twin
# without and with viewsan, its correct flow and zero-copy proof with viewsan, the other samples'
# twins, then the buggy page in headless Chromium through viewsan-devtools, and print what was
# caught.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${VIEWSAN_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >/dev/null || exit 1
cd "$root"
section() { printf '\n\033[1m== %s\033[0m\n' "$1"; }

section "viewsan-instrument: the hooks it put into the sample"
"$build/instrument/viewsan-instrument" "$build/samples/invert/invert.wasm" --list

run() { node --no-warnings samples/run.mjs --build "$build" "$@"; }

section "The invert sample's buggy twin without viewsan: silently wrong"
run invert --flow buggy --raw

section "The same twin under viewsan: caught at the faulting read"
run invert --flow buggy

section "The correct flow under viewsan: silent; the zero-copy proof"
run invert --flow correct
run invert --flow proof

section "Two more toolchains: clang + wasi-libc (audio) and a wasm-bindgen-shaped module (tensors)"
run audio --flow buggy --raw
run audio --flow buggy | head -4
run tensors --flow buggy --raw
run tensors --flow buggy | head -4

section "The buggy page in headless Chromium, through viewsan-devtools"
node devtools/bin/viewsan-devtools.js launch \
  --root "$root" --mount "/build=$build" \
  "/samples/invert/web/index.html?flow=buggy&build=/build/samples/invert" \
  --report "$build/demo-report.json" --timeout 60 --idle 5000
echo "(exit $? — 1 means errors were reported; JSON report: $build/demo-report.json)"
exit 0
