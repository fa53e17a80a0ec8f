// Loads the audio sample in Node under node:wasi: the instrumented module under viewsan, or the
// original raw.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WASI } from 'node:wasi';

import { instantiate } from 'viewsan';

export async function load(buildDir, { raw }) {
  const bytes = await readFile(path.join(buildDir, raw ? 'gain.wasm' : 'gain.vs.wasm'));
  const wasi = new WASI({ version: 'preview1' });
  const { instance, session } = raw
    ? { instance: (await WebAssembly.instantiate(bytes, wasi.getImportObject())).instance, session: null }
    : await instantiate(bytes, wasi.getImportObject());
  wasi.initialize(instance);
  return { app: instance.exports, session };
}
