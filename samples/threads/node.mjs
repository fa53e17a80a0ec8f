#!/usr/bin/env node
// Runs one flow of the threads sample in Node and prints its result as JSON on stdout:
//   node samples/threads/node.mjs correct|freed|grown [--raw | --glue] [--build BUILD_DIR]
// Under viewsan, preload the runtime, which the sample's worker threads then load too:
//   node --import viewsan/register samples/threads/node.mjs freed
// or --glue: the app instantiates through viewsan's emscripten() glue, which gives the workers
// the runtime itself. --raw runs the module as emcc wrote it (without viewsan, the bugs go
// unnoticed).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { FLOWS } from './flows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    raw: { type: 'boolean', default: false },
    glue: { type: 'boolean', default: false },
    build: { type: 'string', default: path.join(here, '../../build') },
  },
});
const flow = FLOWS[positionals[0]];
if (!flow) {
  console.error(`threads: usage: node.mjs ${Object.keys(FLOWS).join('|')} [--raw | --glue] [--build DIR]`);
  process.exit(2);
}

const dir = path.resolve(values.build, 'samples/threads', values.raw ? 'raw' : 'vs');
const createFrames = createRequire(import.meta.url)(path.join(dir, 'frames.js'));
// Emscripten 3.1.6's Node loader would fetch() the file path; the bytes are passed instead.
const wasmBinary = await readFile(path.join(dir, 'frames.wasm'));
const app = await createFrames(values.glue ? { ...(await import('viewsan')).emscripten({ wasmBinary }) } : { wasmBinary });
let result;
try {
  result = flow(app);
} catch (error) {
  result = { error: error.kind ?? error.name, message: error.message };
  process.exitCode = 1;
}
console.log(JSON.stringify(result));
// The pool's workers keep the process alive: end it once the flow is done.
app.PThread.terminateAllThreads();
process.exit();
