// The app's JavaScript, in two twins. Both view the ramp make_ramp returns as a Float32Array and
// read its last sample; the correct one reads before handing the block back, the buggy one after
// mean_and_release has freed it: without viewsan it reads whatever the allocator left there.
//   node --import <prefix>/share/viewsan/viewsan/register.js run.mjs BUILD_DIR correct|buggy
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [buildDir, flow] = process.argv.slice(2);
const dir = resolve(buildDir);
const createApp = createRequire(import.meta.url)(join(dir, 'app.js'));
const app = await createApp({ wasmBinary: readFileSync(join(dir, 'app.wasm')) });

const n = 64;
const ramp = app._make_ramp(n);
const samples = new Float32Array(app.HEAPF32.buffer, ramp, n);
let last;
if (flow === 'buggy') {
  const mean = app._mean_and_release(ramp, n);
  last = samples[n - 1];
  console.log(`buggy: mean ${mean}, last sample ${last}`);
} else {
  last = samples[n - 1];
  const mean = app._mean_and_release(ramp, n);
  console.log(`correct: mean ${mean}, last sample ${last}`);
}
