#!/usr/bin/env bash
# install.downstream-emscripten: installs this build into a scratch prefix (then moves it),
# checks the prefix's layout and tools, then builds the Emscripten project in downstream/ against the prefix (as the
# README's recipe does: find_package(viewsan), viewsan_instrument(TARGET app)) and runs its two
# twins with the installed viewsan package: the buggy one must be reported, the correct one not.
#   usage: downstream.sh CMAKE EMCMAKE NODE BUILD_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmake=$1 emcmake=$2 node=$3 build=$4

# Outside any source tree, so that no node_modules above it can stand in for what the prefix lacks.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/viewsan-install-test.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
prefix="$scratch/prefix"
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== cmake --install, then the prefix moved to $prefix"
# Moved after installing: nothing in it may depend on where it was installed.
"$cmake" --install "$build" --prefix "$scratch/installed" >/dev/null
mv "$scratch/installed" "$prefix"
for f in bin/viewsan-instrument bin/viewsan-devtools \
    share/viewsan/viewsan/package.json share/viewsan/viewsan/index.js \
    share/viewsan/viewsan/register.js share/viewsan/viewsan/viewsan-shim.wasm \
    share/viewsan/viewsan-devtools/package.json share/viewsan/viewsan-devtools/bin/viewsan-devtools.js \
    share/viewsan/viewsan-devtools/panel/index.html \
    lib/cmake/viewsan/viewsanConfig.cmake lib/cmake/viewsan/viewsanConfigVersion.cmake \
    lib/cmake/viewsan/ViewsanInstrument.cmake; do
  [ -e "$prefix/$f" ] || fail "the prefix has no $f"
done
"$prefix/bin/viewsan-instrument" --version

echo "== viewsan-devtools from the prefix, without the repository's node_modules"
# Its dependencies resolve inside the installed package...
resolved=$(cd "$prefix/share/viewsan/viewsan-devtools" &&
  env -u NODE_PATH "$node" -p "require.resolve('chrome-remote-interface')")
case "$resolved" in
  "$prefix/share/viewsan/viewsan-devtools/node_modules/"*) ;;
  *) fail "chrome-remote-interface resolves to $resolved, outside the installed package" ;;
esac
# ...and the launcher runs it, from anywhere, through a symlink too.
ln -s "$prefix/bin/viewsan-devtools" "$scratch/devtools-link"
(cd / && env -u NODE_PATH "$scratch/devtools-link" --help | head -3)

echo "== a downstream emcmake project, configured with -DCMAKE_FIND_ROOT_PATH=<prefix>"
cp -r "$here/downstream" "$scratch/src"
export NODE_PATH=/usr/share/nodejs # Debian's Emscripten runs its JS optimizer with Debian's acorn
"$emcmake" "$cmake" -S "$scratch/src" -B "$scratch/app" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_FIND_ROOT_PATH="$prefix" >"$scratch/configure.log" || { cat "$scratch/configure.log"; fail "configure"; }
grep -qx "viewsan_DIR:PATH=$prefix/lib/cmake/viewsan" "$scratch/app/CMakeCache.txt" ||
  fail "find_package(viewsan) did not find the prefix's package: $(grep viewsan_DIR "$scratch/app/CMakeCache.txt")"
"$cmake" --build "$scratch/app" -j 2
"$node" -e "
  const m = new WebAssembly.Module(require('fs').readFileSync(process.argv[1]));
  if (!WebAssembly.Module.imports(m).some((i) => i.module === 'viewsan')) throw new Error('app.wasm is not instrumented');
  console.log('app.wasm instrumented: imports', WebAssembly.Module.imports(m).filter((i) => i.module === 'viewsan').map((i) => i.name).join(', '));
" "$scratch/app/app.wasm"

echo "== its twins under the installed viewsan package"
run() { # FLOW: runs the twin, leaves its output and JSON report in $scratch
  local status=0
  VIEWSAN_OPTIONS="report_path=$scratch/$1.json" \
    "$node" --import "$prefix/share/viewsan/viewsan/register.js" "$scratch/src/run.mjs" "$scratch/app" "$1" \
    >"$scratch/$1.out" 2>&1 || status=$?
  cat "$scratch/$1.out"
  return $status
}
run correct || fail "the correct twin failed under viewsan"
grep -q "ERROR: viewsan" "$scratch/correct.out" && fail "the correct twin was reported"
"$node" -e "
  const r = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
  if (r.reports.length !== 0) throw new Error('reports on the correct twin: ' + JSON.stringify(r.reports));
  if (!(r.stats.allocs >= 1 && r.stats.frees >= 1)) throw new Error('the hooks saw nothing: ' + JSON.stringify(r.stats));
  console.log('correct twin: no report;', r.stats.allocs, 'allocations and', r.stats.frees, 'frees seen');
" "$scratch/correct.json"

status=0
run buggy || status=$?
# 1: the ViewSanError reached the top level and ended Node, which ran its exit handlers.
[ "$status" -eq 1 ] || fail "the buggy twin exited with $status under viewsan, not 1"
grep -q "SUMMARY: viewsan: use-after-free Float32Array\[63\]" "$scratch/buggy.out" ||
  fail "no use-after-free SUMMARY line for the buggy twin"
"$node" -e "
  const r = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
  const [report] = r.reports;
  if (r.reports.length !== 1 || report.kind !== 'use-after-free') throw new Error('reports: ' + JSON.stringify(r.reports));
  console.log('buggy twin: use-after-free reported, freed by', report.region.freeSite?.func);
" "$scratch/buggy.json"

echo "== the same project configured with -Dviewsan_DIR=<prefix>/lib/cmake/viewsan"
"$emcmake" "$cmake" -S "$scratch/src" -B "$scratch/app2" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -Dviewsan_DIR="$prefix/lib/cmake/viewsan" >"$scratch/configure2.log" || { cat "$scratch/configure2.log"; fail "configure with viewsan_DIR"; }
grep -q "$prefix/bin/viewsan-instrument" "$scratch/app2/build.ninja" ||
  fail "the project configured with viewsan_DIR does not run the prefix's viewsan-instrument"
echo "install.downstream-emscripten: ok"
