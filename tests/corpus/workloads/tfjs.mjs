// TensorFlow.js on its WebAssembly backend: add, matMul, softmax, conv2d, a sum over large
// tensors, ReLU + max pooling and a transpose, and every result's bytes. One process per run: tfjs keeps its first backend.
//
//   node tfjs.mjs WASM_DIR SIMD      prints the results as JSON
//
// WASM_DIR holds the backend's three .wasm files (original or instrumented); SIMD (0 or 1) says
// whether the backend may pick its SIMD build. Node gives it no threads, so the threaded build
// never runs here.

import { createRequire } from 'node:module';

import { printResults } from './run-main.mjs';

const require = createRequire(import.meta.url);
const [wasmDir, simd] = process.argv.slice(2);
const tf = require('../node_modules/@tensorflow/tfjs-core');
const { setWasmPaths } = require('../node_modules/@tensorflow/tfjs-backend-wasm');

tf.env().set('WASM_HAS_SIMD_SUPPORT', simd === '1');
setWasmPaths(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
await tf.setBackend('wasm');
await tf.ready();

const a = tf.tensor2d(Array.from({ length: 64 * 48 }, (_, i) => Math.sin(i) * 3), [64, 48]);
const b = tf.tensor2d(Array.from({ length: 48 * 32 }, (_, i) => Math.cos(i / 7)), [48, 32]);
// Enough tensors alive at once that the module's heap grows while views over it are held.
const big = Array.from({ length: 12 }, (_, i) => tf.fill([512, 1024], i + 0.5));
const results = {
  backend: tf.getBackend(),
  add: await tf.add(a, a).data(),
  matMul: await tf.matMul(a, b).data(),
  softmax: await tf.softmax(tf.matMul(a, b)).data(),
  conv2d: await tf.conv2d(tf.reshape(a, [1, 64, 48, 1]), tf.ones([3, 3, 1, 2]), 1, 'same').data(),
  sum: tf.sum(tf.addN(big)).dataSync(),
  pooled: tf.maxPool(tf.relu(tf.reshape(a, [1, 64, 48, 1])), 2, 2, 'valid').dataSync(),
  transposed: tf.transpose(b).dataSync(),
};
tf.dispose([a, b, ...big]);
printResults(Object.fromEntries(Object.entries(results).map(([k, v]) =>
  [k, typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')])));
