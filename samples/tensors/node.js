// Loads the tensors sample in Node: the instrumented module under viewsan, or the original raw.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { instantiate } from 'viewsan';

export async function load(buildDir, { raw }) {
  const bytes = await readFile(path.join(buildDir, raw ? 'tensors.wasm' : 'tensors.vs.wasm'));
  if (raw) return { app: (await WebAssembly.instantiate(bytes, {})).instance.exports, session: null };
  const { instance, session } = await instantiate(bytes, {});
  return { app: instance.exports, session };
}
