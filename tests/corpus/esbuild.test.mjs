// esbuild-wasm 0.28.2 (Go, 14 MB): Go's runtime has its own allocator, which no table names,
// so the module is instrumented for memory growth only: a note on stderr, exit 0. The
// instrumented esbuild then transforms TypeScript exactly as the original does, and its
// memory.grow reaches the hooks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { copyPackage, corpusFile, instrument, scratchDir, sitesOf, validate } from './lib/instrument.mjs';

const scratch = scratchDir();
const wasm = corpusFile('esbuild-wasm/esbuild.wasm');
const instrumented = join(scratch, 'esbuild.vs.wasm');

test('growth only: a note, exit 0, and a module that validates', () => {
  const { allocators, fields, stderr } = instrument(wasm, instrumented);
  assert.equal(allocators.length, 0);
  assert.match(stderr, /esbuild\.wasm: note: no allocator found: only memory\.grow is instrumented/);
  assert.match(fields['memory.grow'], /^[1-9]\d* instructions?$/);
  validate(instrumented);
  const sites = sitesOf(instrumented);
  assert.equal(sites.coverage, 'partial');
  assert.ok(sites.sites.length > 0 && sites.sites.every((s) => s.kind === 'memory.grow'));
});

const source = `
  enum Color { Red, Green }
  export function area(r: number): number { return Math.PI * r ** 2 }
  export const names: Array<string> = [Color[Color.Red], Color[Color.Green]];
  export default class Shape<T> { constructor(private value: T) {} get(): T { return this.value } }
`;

// Runs the package's own command line on a TypeScript file. Both runs preload the hooks; the
// original imports nothing from "viewsan" and runs as it would without them.
function transform(packageDir) {
  const input = join(scratch, 'input.ts');
  writeFileSync(input, source);
  const counts = join(scratch, `counts-${Math.random().toString(36).slice(2)}.json`);
  const child = spawnSync(process.execPath,
    ['--import', fileURLToPath(new URL('lib/register-hooks.mjs', import.meta.url)),
      join(packageDir, 'bin', 'esbuild'), input, '--format=esm', '--minify-syntax'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VIEWSAN_CORPUS_COUNTS: counts } });
  assert.equal(child.status, 0, child.stderr);
  return { output: child.stdout, counts: JSON.parse(readFileSync(counts, 'utf8')) };
}

test('the instrumented esbuild transforms TypeScript exactly as the original', () => {
  const original = transform(corpusFile('esbuild-wasm'));
  assert.match(original.output, /function area\(r\)/);
  const copy = copyPackage('esbuild-wasm', join(scratch, 'instrumented'), { 'esbuild.wasm': instrumented });
  const hooked = transform(copy);
  assert.equal(hooked.output, original.output);
  console.log(`esbuild-wasm hook calls: ${JSON.stringify(hooked.counts)}`);
  assert.ok(hooked.counts.grow > 0, JSON.stringify(hooked.counts));
  assert.equal(hooked.counts.alloc, 0);
});
