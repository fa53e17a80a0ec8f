#!/usr/bin/env node
// Runs a sample's flows in Node: under viewsan (its instrumented module), or raw (the original
// module, no viewsan) to show what the bug looks like without it; or its zero-copy proof.
//
//   node samples/run.mjs SAMPLE [--flow correct|buggy|proof] [--raw] [--build BUILD_DIR]
//   SAMPLE: invert (C, emcc), audio (C, clang + wasi-libc), tensors (wat, wasm-bindgen shape)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { ViewSanError } from 'viewsan';

const SAMPLES = ['invert', 'audio', 'tensors'];
const here = path.dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    flow: { type: 'string', default: 'buggy' },
    raw: { type: 'boolean', default: false },
    build: { type: 'string', default: path.join(here, '../build') },
  },
});
const [sample] = positionals;
if (!SAMPLES.includes(sample) || !['correct', 'buggy', 'proof'].includes(values.flow)) {
  console.error(`run: usage: run.mjs ${SAMPLES.join('|')} [--flow correct|buggy|proof] [--raw] [--build DIR]`);
  process.exit(2);
}

const flows = await import(`./${sample}/flows.js`);
const { load } = await import(`./${sample}/node.js`);
const { app, session } = await load(path.resolve(values.build, 'samples', sample), { raw: values.raw });
const label = `${sample}: ${values.flow}${values.raw ? ' (no viewsan)' : ' under viewsan'}`;

try {
  if (values.flow === 'proof') {
    const { copyMs, viewMs, aliased } = flows.zeroCopyProof(app);
    console.log(`${label}: copy path ${copyMs.toFixed(3)} ms vs view path ${viewMs.toFixed(3)} ms per call; ` +
      `sentinel written through the view ${aliased ? 'seen by wasm: the view aliases linear memory' : 'NOT seen: a copy snuck in'}`);
    if (!aliased) process.exitCode = 1;
  } else {
    const flow = values.flow === 'correct' ? flows.correctFlow : flows.buggyFlow;
    const { value, expected } = flow(app);
    const verdict = value === expected ? 'right' : 'WRONG, and nothing said so';
    console.log(`${label}: got ${value}, expected ${expected}: ${verdict}`);
  }
} catch (error) {
  if (!(error instanceof ViewSanError) && !(values.raw && error instanceof RangeError)) throw error;
  // viewsan prints the report of a ViewSanError the program catches and does not rethrow on
  // stderr, as sanitizers print at detection: here its first line says what was caught.
  console.log(error instanceof ViewSanError
    ? `${label}: viewsan caught ${error.message.split('\n', 1)[0].replace('ERROR: viewsan: ', '')} (its full report is on stderr)`
    : `${label}: the engine threw a bare ${error.name}: ${error.message}`);
  process.exitCode = 1;
}
if (session) {
  const s = session.stats();
  console.log(`stats: ${s.allocs} allocs, ${s.frees} frees, ${s.grows} grows, ${s.errors} errors, ${s.warnings} warnings`);
}

