// Runs a few TensorFlow.js ops on the WebAssembly backend in this process and prints their
// results and the hook counts as JSON. A separate process per build: tfjs keeps one backend.
//
//   node tfjs-ops.mjs WASM_DIR SIMD
//
// WASM_DIR holds the backend's three .wasm files (original or instrumented); SIMD (0 or 1) says
// whether the backend may pick its SIMD build. Node has no threads for it, so the threaded build
// never runs here.

import { createRequire } from 'node:module';

import { createHooks, provideHooks } from './hooks.mjs';

const require = createRequire(import.meta.url);
const [wasmDir, simd] = process.argv.slice(2);
const tf = require('../node_modules/@tensorflow/tfjs-core');
const { setWasmPaths } = require('../node_modules/@tensorflow/tfjs-backend-wasm');

const hooks = createHooks();
provideHooks(hooks);
tf.env().set('WASM_HAS_SIMD_SUPPORT', simd === '1');
setWasmPaths(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
await tf.setBackend('wasm');
await tf.ready();

const a = tf.tensor2d(Array.from({ length: 64 * 48 }, (_, i) => Math.sin(i) * 3), [64, 48]);
const b = tf.tensor2d(Array.from({ length: 48 * 32 }, (_, i) => Math.cos(i / 7)), [48, 32]);
const results = {
  backend: tf.getBackend(),
  add: await tf.add(a, a).data(),
  matMul: await tf.matMul(a, b).data(),
  softmax: await tf.softmax(tf.matMul(a, b)).data(),
  conv2d: await tf.conv2d(tf.reshape(a, [1, 64, 48, 1]), tf.ones([3, 3, 1, 2]), 1, 'same').data(),
};
tf.dispose([a, b]);
process.stdout.write(JSON.stringify({
  results: Object.fromEntries(Object.entries(results).map(([k, v]) =>
    [k, typeof v === 'string' ? v : Buffer.from(v.buffer).toString('base64')])),
  counts: hooks.counts,
}));
