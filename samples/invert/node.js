// Loads the invert sample in Node: the Emscripten build, its instrumented module under viewsan
// (through the emscripten() glue), or the original raw.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { emscripten } from 'viewsan';

export async function load(buildDir, { raw }) {
  const createInvert = createRequire(import.meta.url)(path.join(buildDir, 'invert.js'));
  if (raw) {
    return { app: await createInvert({ wasmBinary: await readFile(path.join(buildDir, 'invert.wasm')) }), session: null };
  }
  const glue = emscripten({ wasmBinary: await readFile(path.join(buildDir, 'invert.vs.wasm')) });
  const app = await createInvert({ ...glue });
  return { app, session: glue.session };
}
