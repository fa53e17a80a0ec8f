#!/usr/bin/env bash
# install.npm-tarballs: `npm pack` of the viewsan and viewsan-devtools packages gives tarballs that
# install into an empty project and work there, as a user's project gets them from the registry:
#   - import { instantiate, emscripten } from 'viewsan' guards an instrumented module (use-after-free
#     and use-after-grow thrown at the faulting access);
#   - node --import viewsan/register guards a loader that knows nothing of viewsan;
#   - viewsan/vite (the Vite plugin) loads where vite is not installed;
#   - npx viewsan-instrument runs the native tool named by VIEWSAN_INSTRUMENT (it instruments the
#     module the two apps load), and with no tool to find says so and exits 127;
#   - npx viewsan-devtools --version, --help, a usage error, and `extension DIR` (its packed files).
# The scratch project is under $TMPDIR (/tmp), outside the repository, so no node_modules of the
# workspace can be found from it; the test checks that 'viewsan' resolves inside it.
#
# viewsan-devtools depends on chrome-remote-interface (and its dependencies) from the registry.
# The install runs with --offline first, from npm's cache; when the cache cannot resolve them it
# runs again online (CI can reach the npm registry). The workspace's `npm ci` caches their tarballs
# but not the registry's metadata that resolving `^0.34.0` needs, so the first run on a machine
# installs online, and later runs offline.
#   usage: npm-tarballs.sh NODE NPM SOURCE_DIR VIEWSAN_INSTRUMENT FIXTURE_WASM
set -euo pipefail
node=$1 npm=$2 source=$3 tool=$4 fixture=$5
scratch="$(mktemp -d "${TMPDIR:-/tmp}/viewsan-npm-test.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
case "$scratch" in "$source"/*) fail "the scratch project $scratch is inside the repository";; esac
unset NODE_PATH VIEWSAN_INSTRUMENT VIEWSAN_OPTIONS
# node and npm first on PATH, whichever CTest found.
export PATH="$(dirname "$node"):$(dirname "$npm"):$PATH"
npm_quiet=(--no-audit --no-fund --loglevel=error)

# npm pack: the viewsan package's prepack refuses a folder without viewsan-shim.wasm...
mkdir "$scratch/packs" "$scratch/no-shim"
(cd "$source/runtime-shim/js" && cp -r package.json ./*.js ./*.cjs ./*.d.ts bin "$scratch/no-shim/")
if (cd "$scratch/no-shim" && "$npm" pack "${npm_quiet[@]}" >/dev/null 2>"$scratch/no-shim.err"); then
  fail "npm pack wrote a viewsan package without viewsan-shim.wasm"
fi
grep -q 'viewsan-shim.wasm is missing' "$scratch/no-shim.err" || fail "npm pack without the shim: $(cat "$scratch/no-shim.err")"
# ...and packs the built one.
for package in runtime-shim/js devtools; do
  (cd "$source/$package" && "$npm" pack --pack-destination "$scratch/packs" "${npm_quiet[@]}" >/dev/null) ||
    fail "npm pack in $package"
done
viewsan_tgz="$scratch/packs/viewsan-0.1.0.tgz"
devtools_tgz="$scratch/packs/viewsan-devtools-0.1.0.tgz"
for tgz in "$viewsan_tgz" "$devtools_tgz"; do
  [ -f "$tgz" ] || fail "npm pack wrote no $(basename "$tgz"): $(ls "$scratch/packs")"
done
tar tzf "$viewsan_tgz" > "$scratch/viewsan.list"
tar tzf "$devtools_tgz" > "$scratch/devtools.list"
for f in package/viewsan-shim.wasm package/index.js package/register.js package/index.d.ts \
    package/bin/viewsan-instrument.js package/src/native-instrument.js package/vite-plugin.js \
    package/dist/index.js package/dist/register.js package/dist/web-worker-start.js package/src/register.js \
    package/dist/node-index.js package/dist/node-register.js package/dist/node-runtime.js package/dist/load-runtime.js \
    package/vite-plugin.d.ts; do
  grep -qx "$f" "$scratch/viewsan.list" || fail "viewsan-0.1.0.tgz has no $f"
done
for f in package/bin/viewsan-devtools.js package/lib/cli.js package/panel/index.html \
    package/extension/manifest.json package/panel/viewsan/protocol.js; do
  grep -qx "$f" "$scratch/devtools.list" || fail "viewsan-devtools-0.1.0.tgz has no $f"
done
# The panel's viewsan/ holds copies of the listed files only (devtools/lib/viewsan-files.js), and
# the repository keeps its link.
listed=$(node --input-type=module -e "const m = await import('$source/devtools/lib/viewsan-files.js'); console.log(m.PANEL_VIEWSAN_FILES.map((f) => 'package/panel/viewsan/' + f).sort().join(' '))")
packed=$(grep '^package/panel/viewsan/' "$scratch/devtools.list" | sort | tr '\n' ' ' | sed 's/ $//')
[ "$packed" = "$listed" ] ||
  fail "viewsan-devtools-0.1.0.tgz's panel/viewsan/ has $packed, not the listed $listed"
[ "$(readlink "$source/devtools/panel/viewsan")" = ../../runtime-shim/js/src ] ||
  fail "npm pack left devtools/panel/viewsan as $(ls -ld "$source/devtools/panel/viewsan")"
echo "packed: $(cd "$scratch/packs" && du -h *.tgz | tr '\t\n' ' ')"

# An empty project, the two tarballs installed into it.
app="$scratch/app"
mkdir "$app"
cd "$app"
printf '{ "name": "scratch-app", "version": "1.0.0", "private": true, "type": "module" }\n' > package.json
if ! "$npm" install --offline "${npm_quiet[@]}" "$viewsan_tgz" "$devtools_tgz" >install.log 2>&1; then
  echo "npm install --offline failed (the npm cache lacks a dependency); installing online:"
  sed 's/^/  /' install.log | tail -5
  "$npm" install "${npm_quiet[@]}" "$viewsan_tgz" "$devtools_tgz" || fail "npm install of the tarballs"
fi
resolved="$("$node" --input-type=module -e "console.log(import.meta.resolve('viewsan'))")"
# Node resolves the package's name to the entry point that loads the runtime's one script.
[ "$resolved" = "file://$app/node_modules/viewsan/dist/node-index.js" ] || fail "viewsan resolves to $resolved"
echo "installed: $(ls node_modules | tr '\n' ' ')"

# viewsan/vite loads in a project that has no vite (it is the app's dependency, not viewsan's).
"$node" --input-type=module -e "
import viewsan from 'viewsan/vite';
const plugin = viewsan();
if (plugin.name !== 'viewsan' || typeof plugin.configResolved !== 'function') throw new Error('viewsan/vite gave no plugin');
console.log('viewsan/vite: ' + import.meta.resolve('viewsan/vite'));
" | tee vite.txt || fail "import viewsan from 'viewsan/vite'"
grep -qx "viewsan/vite: file://$app/node_modules/viewsan/src/vite-plugin.js" vite.txt || fail "viewsan/vite resolves to $(cat vite.txt)"

# viewsan-instrument through the npm bin: VIEWSAN_INSTRUMENT names the tool.
VIEWSAN_INSTRUMENT="$tool" npx --no-install viewsan-instrument --version | tee version.txt
grep -qx 'viewsan-instrument [0-9.]* (Binaryen [0-9]*)' version.txt || fail "viewsan-instrument --version"
VIEWSAN_INSTRUMENT="$tool" npx --no-install viewsan-instrument "$fixture" -o app.vs.wasm
[ -s app.vs.wasm ] || fail "viewsan-instrument wrote no app.vs.wasm"
set +e
VIEWSAN_INSTRUMENT="$tool" npx --no-install viewsan-instrument --no-such-option 2>usage.txt
status=$?
set -e
[ $status -eq 2 ] || fail "a usage error through the bin exited $status, not 2"
grep -qx "Try '--help' for more information." usage.txt || fail "usage error: $(cat usage.txt)"

# And with no tool to find: PATH holds only node, so only the usual prefixes could hold one.
installed=""
for f in /usr/local/bin/viewsan-instrument /opt/viewsan/bin/viewsan-instrument /usr/bin/viewsan-instrument; do
  [ -x "$f" ] && installed="$f"
done
if [ -n "$installed" ]; then
  echo "not checked: the message for a missing tool (this machine has $installed)"
else
  mkdir nodebin
  ln -s "$node" nodebin/node
  set +e
  PATH="$app/nodebin" node_modules/.bin/viewsan-instrument --version >missing.out 2>missing.err
  status=$?
  set -e
  [ $status -eq 127 ] || fail "with no tool the bin exited $status, not 127"
  [ ! -s missing.out ] || fail "with no tool the bin wrote to stdout: $(cat missing.out)"
  expected="viewsan-instrument: the native tool is not installed: build and install it with cmake (see the README's Install section), or set VIEWSAN_INSTRUMENT to its path"
  [ "$(cat missing.err)" = "$expected" ] || fail "with no tool the bin said: $(cat missing.err)"
  echo "no tool: exit 127, $(cat missing.err)"
fi

# import { instantiate, emscripten } from 'viewsan'
cat > guarded.mjs <<'EOF'
import { readFile } from 'node:fs/promises';
import { emscripten, instantiate, ViewSanError } from 'viewsan';

if (typeof emscripten !== 'function') throw new Error('viewsan exports no emscripten()');
const { instance, session } = await instantiate(await readFile('app.vs.wasm'), {});
const { memory, make_buffer: makeBuffer, consume } = instance.exports;

function expectViolation(kind, access) {
  try {
    access();
  } catch (error) {
    if (!(error instanceof ViewSanError) || error.kind !== kind) throw error;
    console.log(`caught ${kind}`);
    return;
  }
  throw new Error(`no ${kind} was caught`);
}

const freed = makeBuffer(16);
const stale = new Uint8Array(memory.buffer, freed, 16);
if (stale[0] !== 1) throw new Error('the live view reads wrong');
consume(freed, 16);
expectViolation('use-after-free', () => stale[3]);

const kept = new Uint8Array(memory.buffer, makeBuffer(16), 16);
makeBuffer(200000);  // does not fit in the first page: malloc runs memory.grow
expectViolation('use-after-grow', () => kept[0]);
console.log(`errors reported: ${session.stats().errors}`);
EOF
"$node" guarded.mjs >guarded.txt 2>guarded.err || { cat guarded.err >&2; fail "guarded.mjs"; }
cat guarded.txt
grep -qx 'caught use-after-free' guarded.txt && grep -qx 'caught use-after-grow' guarded.txt ||
  fail "import from 'viewsan'"
# The runtime prints each report on stderr too, as it throws.
grep -q '^SUMMARY: viewsan: use-after-grow' guarded.err || fail "no report on stderr: $(head -3 guarded.err)"

# node --import viewsan/register: a loader that knows nothing of viewsan.
cat > loader.mjs <<'EOF'
import { readFileSync } from 'node:fs';

const { instance } = await WebAssembly.instantiate(readFileSync('app.vs.wasm'), {});
const { memory, make_buffer: makeBuffer, consume } = instance.exports;
const p = makeBuffer(16);
const view = new Uint8Array(memory.buffer, p, 16);
consume(p, 16);
console.log(`stale read ${view[0]}`);
EOF
set +e
"$node" --import viewsan/register loader.mjs >register.out 2>register.err
status=$?
set -e
[ $status -ne 0 ] || fail "node --import viewsan/register: the stale read passed"
grep -q 'stale read' register.out && fail "node --import viewsan/register: the stale read ran"
grep -q 'ViewSanError: ERROR: viewsan: use-after-free' register.err ||
  fail "node --import viewsan/register: $(head -3 register.err)"
echo "node --import viewsan/register: use-after-free thrown, exit $status"

# npx viewsan-devtools
npx --no-install viewsan-devtools --version | tee devtools-version.txt
grep -qx 'viewsan-devtools 0.1.0' devtools-version.txt || fail "viewsan-devtools --version"
npx --no-install viewsan-devtools --help > devtools-help.txt
grep -qx 'Usage: viewsan-devtools launch <url> \[options\]' devtools-help.txt || fail "viewsan-devtools --help"
set +e
npx --no-install viewsan-devtools launch 2>devtools-usage.txt
status=$?
set -e
[ $status -eq 2 ] || fail "viewsan-devtools usage error exited $status, not 2"
[ "$(cat devtools-usage.txt)" = "viewsan-devtools: launch needs a <url>
Try '--help' for more information." ] || fail "viewsan-devtools usage error: $(cat devtools-usage.txt)"
npx --no-install viewsan-devtools extension ext 2>/dev/null || fail "viewsan-devtools extension"
[ -f ext/manifest.json ] || fail "viewsan-devtools extension wrote no manifest.json"
[ -f ext/panel/viewsan/protocol.js ] && [ ! -L ext/panel/viewsan ] ||
  fail "viewsan-devtools extension wrote no copy of panel/viewsan/protocol.js"
echo "install.npm-tarballs: ok"
