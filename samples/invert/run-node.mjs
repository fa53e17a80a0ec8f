#!/usr/bin/env node
// Runs the invert sample's flows in Node: under viewsan (the instrumented module), or raw (the
// original module, no viewsan) to show what the bug looks like without it.
//
//   node samples/invert/run-node.mjs [--flow correct|buggy] [--raw] [--build DIR]

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { ViewSanError, emscripten } from 'viewsan';

import { buggyFlow, correctFlow } from './flows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    flow: { type: 'string', default: 'buggy' },
    raw: { type: 'boolean', default: false },
    build: { type: 'string', default: path.join(here, '../../build/samples/invert') },
  },
});
const flows = { correct: correctFlow, buggy: buggyFlow };
const flow = flows[values.flow];
if (!flow) {
  console.error(`run-node: --flow must be correct or buggy, not '${values.flow}'`);
  process.exit(2);
}

const createInvert = createRequire(import.meta.url)(path.join(values.build, 'invert.js'));
let app;
let session = null;
if (values.raw) {
  app = await createInvert({ wasmBinary: await readFile(path.join(values.build, 'invert.wasm')) });
} else {
  const glue = emscripten({ wasmBinary: await readFile(path.join(values.build, 'invert.vs.wasm')) });
  app = await createInvert({ ...glue });
  session = glue.session;
}

const label = `${values.flow} flow${values.raw ? ' (no viewsan)' : ' under viewsan'}`;
try {
  const { pixel4, expected } = flow(app);
  const verdict = pixel4 === expected ? 'pixel is right' : 'pixel is WRONG, and nothing said so';
  console.log(`${label}: pixel[4] = ${pixel4}, expected ${expected}: ${verdict}`);
} catch (error) {
  if (!(error instanceof ViewSanError)) throw error;
  console.log(`${label}: viewsan caught ${error.kind}:\n${error.message}`);
  process.exitCode = 1;
}
if (session) {
  const s = session.stats();
  console.log(`stats: ${s.allocs} allocs, ${s.frees} frees, ${s.grows} grows, ${s.errors} errors`);
}
