// Runs viewsan-instrument and wasm-opt over corpus modules, for the instrument.corpus.* tests.
//
// VIEWSAN_INSTRUMENT names the tool (the build sets it); WASM_OPT names wasm-opt, which
// validates the output with every feature enabled.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const corpusDir = fileURLToPath(new URL('../node_modules/', import.meta.url));
const tool = process.env.VIEWSAN_INSTRUMENT ?? 'viewsan-instrument';
const wasmOpt = process.env.WASM_OPT ?? 'wasm-opt';

// The path of a file of an installed corpus package; fails with what to do when the corpus is
// not installed.
export function corpusFile(relative) {
  const path = join(corpusDir, relative);
  assert.ok(existsSync(path), `${path} is missing: run scripts/setup.sh, which installs the ` +
    'corpus with npm ci --prefix tests/corpus');
  return path;
}

function run(command, args) {
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

// The --list report, parsed: its fields, and one row per hooked allocator.
export function parseListing(text) {
  const fields = {};
  const allocators = [];
  for (const line of text.split('\n')) {
    const field = /^(\S[^ ]*(?: \S+)?)\s{2,}(.*)$/.exec(line);
    if (field) {
      fields[field[1]] = field[2];
    } else if (line.startsWith('  ') && fields.allocators && !fields['not hooked']) {
      const [name, role, positions, calls, ...rest] = line.trim().split(/\s{2,}/);
      allocators.push({ name, role, positions, directCalls: parseInt(calls, 10), foundBy: rest.join(' ') });
    }
  }
  return { fields, allocators };
}

// Lists, then instruments `input` into `output`; both must exit 0. Returns the parsed listing
// and what the tool printed on stderr.
export function instrument(input, output, args = []) {
  const list = run(tool, [input, '--list', ...args]);
  assert.equal(list.status, 0, `--list exited ${list.status}:\n${list.stderr}`);
  const listing = parseListing(list.stdout);
  const { fields, allocators } = listing;
  assert.match(fields.memory, /^memory(32|64)$/);
  assert.match(fields['memory.grow'], /^\d+ instructions?$/);
  assert.equal(Number.parseInt(fields.allocators, 10), allocators.length, list.stdout);
  assert.ok(Number.parseInt(fields.sites, 10) >= allocators.length, list.stdout);
  assert.match(fields.coverage, /^(complete|partial \(.+\))$/);
  for (const allocator of allocators) {
    assert.match(allocator.role, /^(alloc|free|realloc)$/, list.stdout);
  }
  // No output: the module is replaced, as `--in-place` does to a dependency in node_modules.
  const written = run(tool, [input, ...(output ? ['-o', output] : ['--in-place']), ...args]);
  assert.equal(written.status, 0, `exited ${written.status}:\n${written.stderr}`);
  return { ...listing, text: list.stdout, stderr: written.stderr };
}

// wasm-opt reads and validates the module with every feature enabled, and V8 compiles it.
export function validate(path) {
  const checked = run(wasmOpt, ['--all-features', path, '-o', '/dev/null']);
  assert.equal(checked.status, 0, `${path} fails validation:\n${checked.stderr.slice(0, 2000)}`);
  new WebAssembly.Module(readFileSync(path)); // V8 compiles it, or says why not
}

export function sitesOf(path) {
  const module = new WebAssembly.Module(readFileSync(path));
  const [section] = WebAssembly.Module.customSections(module, 'viewsan.sites');
  return JSON.parse(new TextDecoder().decode(section));
}

// A scratch directory, removed when the process exits.
export function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), 'viewsan-corpus-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A copy of an installed package in `dir`, so that its .wasm can be swapped for an instrumented
// one without touching node_modules: `replace` maps paths inside the package to the files that
// take their place.
export function copyPackage(name, dir, replace = {}) {
  const copy = join(dir, 'node_modules', name);
  cpSync(join(corpusDir, name), copy, { recursive: true });
  for (const [inside, file] of Object.entries(replace)) copyFileSync(file, join(copy, inside));
  return copy;
}
