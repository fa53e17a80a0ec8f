// npm pack's check that the folder is the whole package: the shims and the bundle the CMake build
// writes here, the bundle no older than the sources it was made from. A file missing or stale:
// one line on stderr, and npm pack stops.
const fs = require('node:fs');
const path = require('node:path');

const BUILT = ['viewsan-shim.wasm', 'viewsan-shim-shared.wasm', 'dist/index.js', 'dist/register.js',
  'dist/node-runtime.js', 'dist/runtime.esm.js'];
const HINT = 'the CMake build writes it here (cmake --build build); the package does not work without it';

function fail(message) {
  console.error(`viewsan: ${message}`);
  process.exit(1);
}

for (const file of BUILT) {
  let bytes = null;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    // missing: said below
  }
  const wasm = file.endsWith('.wasm');
  if (!bytes || (wasm && (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d))) {
    fail(`${file} is missing${wasm ? ' or is not WebAssembly' : ''}: ${HINT}`);
  }
}
const bundled = fs.statSync('dist/register.js').mtimeMs;
const newer = ['src', 'entries'].flatMap((dir) => fs.readdirSync(dir).map((name) => path.join(dir, name)))
  .filter((file) => fs.statSync(file).mtimeMs > bundled);
if (newer.length > 0) fail(`dist/ is older than ${newer[0]}: build again (cmake --build build) before packing`);
