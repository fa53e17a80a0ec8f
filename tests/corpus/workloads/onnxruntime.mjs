// onnxruntime-web (C++ through Emscripten with pthreads, minified): a small MLP run on batches of
// 1 to 64 rows, through the package's own Node entry, which loads its threaded build
// (dist/ort-wasm-simd-threaded.wasm) even for one thread.
//
//   node onnxruntime.mjs PACKAGE_DIR [THREADS]          prints the outputs as JSON
//   node onnxruntime.mjs PACKAGE_DIR THREADS --buggy    the buggy twin (below)
//
// The buggy twin drives the same build's Emscripten module as an app embedding it would: it
// allocates an input buffer, views it, frees it, and sums the view afterwards (a method call, so
// that compat mode, which cannot see element reads, catches it too).

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { mlpModel } from './onnx-model.mjs';
import { digest, isMain, printResults } from './run-main.mjs';

export async function inferences(packageDir, threads) {
  const ort = await import(pathToFileURL(join(packageDir, 'dist/ort.node.min.mjs')).href);
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(mlpModel(64, 256, 10));
  const results = {};
  for (let batch = 1; batch <= 64; batch *= 4) {
    const x = Float32Array.from({ length: batch * 64 }, (_, i) => Math.sin(i * 0.37 + batch));
    const { Y } = await session.run({ X: new ort.Tensor('float32', x, [batch, 64]) });
    results[batch] = { dims: Y.dims, y: await digest(Y.data) };
  }
  await session.release();
  return results;
}

export async function useAfterFree(packageDir, threads) {
  const glue = pathToFileURL(join(packageDir, 'dist/ort-wasm-simd-threaded.mjs')).href;
  const wasm = await (await import(glue)).default({ numThreads: threads });
  const input = wasm._malloc(256);
  const view = new Float32Array(wasm.HEAPU8.buffer, input, 64);
  view.fill(1);
  wasm._free(input);
  return { sumAfterFree: view.reduce((sum, x) => sum + x, 0) };
}

if (isMain(import.meta.url)) {
  const [packageDir, threads = '1', twin] = process.argv.slice(2);
  const run = twin === '--buggy' ? useAfterFree : inferences;
  printResults(await run(packageDir, Number(threads)));
  // The pthread pool keeps workers alive.
  process.exit(0);
}
