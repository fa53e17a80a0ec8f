// Loads the tensors sample in a page, guarded or raw.
import { instantiate } from '../../runtime-shim/js/index.js';

export async function load(buildUrl, { raw }) {
  const source = fetch(`${buildUrl}/tensors/${raw ? 'tensors.wasm' : 'tensors.vs.wasm'}`);
  if (raw) return { app: (await WebAssembly.instantiateStreaming(source, {})).instance.exports, session: null };
  const { instance, session } = await instantiate(source, {});
  return { app: instance.exports, session };
}

export function pageDemo() {
  return 'matmul + ReLU over 64 x 64 Float32 tensors in linear memory';
}
