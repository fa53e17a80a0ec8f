// In Node the package's entry points load the runtime as one script compiled with a V8 code cache
// kept in the system's temporary folder (runtime-shim/js/entries/load-runtime.js): the same API as
// src/, one runtime behind `viewsan` and `viewsan/register`, a cache written once and then read,
// never read from a folder others can write to, rewritten when V8 rejects it, and none with
// code_cache=0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const packageDir = path.join(import.meta.dirname, '../../runtime-shim/js');
const app = path.join(import.meta.dirname, 'fixtures/loader-app.mjs');

function node(args, { tmp, options = '' } = {}) {
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8', cwd: packageDir,
    env: { ...process.env, TMPDIR: tmp ?? os.tmpdir(), VIEWSAN_OPTIONS: options },
  });
  return child;
}

const exportedNames = (entry) => {
  const child = node(['--input-type=module', '-e',
    `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m).sort()))`]);
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
};

test('the package\'s entry points, for Node and for pages, export what src/index.js does', () => {
  const names = exportedNames(path.join(packageDir, 'src/index.js'));
  assert.ok(names.includes('instantiate') && names.includes('ViewSanError'), names.join());
  assert.deepEqual(exportedNames(path.join(packageDir, 'index.js')), names);
  assert.deepEqual(exportedNames(path.join(packageDir, 'dist/index.js')), names);
  assert.deepEqual(exportedNames(path.join(packageDir, 'dist/node-index.js')), names);
});

// A plain call's `this` is undefined there, as in the modules (a glue's plain calls of an allocator
// export are told apart by it). Compiled as load-runtime.js compiles it, not run: `with` is a
// syntax error in strict code only.
test('the runtime\'s script is strict code, as the modules it is made of are', () => {
  const source = fs.readFileSync(path.join(packageDir, 'dist/node-runtime.js'), 'utf8');
  assert.doesNotThrow(() => new Function('__viewsanModuleUrl', 'require', `${source}\nreturn viewsanRuntime;`));
  assert.throws(() => new Function('__viewsanModuleUrl', 'require', `${source}\nwith ({}) {}`), SyntaxError);
});

// register by path (dist/register.js, which imports the ES modules too) and the API by the package's
// name (node-index.js, the script only).
test('register and the API are one runtime: a ViewSanError thrown under register is the API\'s class', () => {
  const probe = `
    import { ViewSanError, instantiate } from 'viewsan';
    const bytes = (await import('node:fs')).readFileSync(process.env.VIEWSAN_FIXTURES + '/freelist-heap.vs.wasm');
    const { instance } = await WebAssembly.instantiate(bytes, {});
    const { malloc, free, memory } = instance.exports;
    const p = malloc(16);
    const view = new Uint8Array(memory.buffer, p, 16);
    free(p);
    try { view[0]; console.log('no throw'); } catch (e) { console.log(e instanceof ViewSanError ? 'same class' : 'other class'); }
    void instantiate;`;
  const register = path.join(packageDir, 'register.js');
  const child = spawnSync(process.execPath, ['--import', register, '--input-type=module', '-e', probe], {
    encoding: 'utf8', cwd: packageDir, env: { ...process.env, VIEWSAN_OPTIONS: '' },
  });
  assert.match(child.stdout, /^same class$/m, child.stderr);
});

// Each test's own temporary folder, removed once the suite is done.
const tempDirs = [];
const tempDir = () => {
  const made = fs.mkdtempSync(path.join(os.tmpdir(), 'viewsan-cache-test-'));
  tempDirs.push(made);
  return made;
};
after(() => {
  for (const made of tempDirs) fs.rmSync(made, { recursive: true, force: true });
});

const cacheDir = (tmp) => path.join(tmp, `viewsan-code-cache-${process.getuid()}`);
const cacheFiles = (tmp) => (fs.existsSync(cacheDir(tmp)) ? fs.readdirSync(cacheDir(tmp)) : []);
const guardedRun = (tmp, options) => node(['--import', 'viewsan/register', app, 'sync'], { tmp, options });

test('a run writes the code cache once; the next reads it and leaves it as it is', () => {
  const tmp = tempDir();
  const first = guardedRun(tmp);
  assert.match(first.stderr, /use-after-free/);
  const [file] = cacheFiles(tmp);
  assert.ok(file, 'no cache written');
  assert.equal(fs.statSync(cacheDir(tmp)).mode & 0o777, 0o700);
  const written = fs.statSync(path.join(cacheDir(tmp), file)).mtimeMs;
  const second = guardedRun(tmp);
  assert.equal(second.stdout, first.stdout);
  assert.equal(second.stderr, first.stderr);
  assert.deepEqual(cacheFiles(tmp), [file]);
  assert.equal(fs.statSync(path.join(cacheDir(tmp), file)).mtimeMs, written, 'an accepted cache was written again');
});

test('a cache V8 rejects is replaced, and the program runs the same', () => {
  const tmp = tempDir();
  const reference = guardedRun(tmp);
  const [file] = cacheFiles(tmp);
  const target = path.join(cacheDir(tmp), file);
  fs.writeFileSync(target, Buffer.alloc(4096, 0x5a));
  const run = guardedRun(tmp);
  assert.equal(run.stdout, reference.stdout);
  assert.equal(run.stderr, reference.stderr);
  assert.notDeepEqual(fs.readFileSync(target), Buffer.alloc(4096, 0x5a));
});

test('a cache folder others can write to is neither read nor written', () => {
  const tmp = tempDir();
  fs.mkdirSync(cacheDir(tmp), { mode: 0o777 });
  fs.chmodSync(cacheDir(tmp), 0o777);
  const run = guardedRun(tmp);
  assert.match(run.stderr, /use-after-free/);
  assert.deepEqual(cacheFiles(tmp), []);
});

test('code_cache=0 writes none', () => {
  const tmp = tempDir();
  const run = guardedRun(tmp, 'code_cache=0');
  assert.match(run.stderr, /use-after-free/);
  assert.doesNotMatch(run.stderr, /unrecognized option/);
  assert.equal(fs.existsSync(cacheDir(tmp)), false);
});

test('code_cache is read as the options parser reads it: quoted, and the last one given wins', () => {
  for (const [options, writes] of [["code_cache='no'", false], ['code_cache=0,code_cache=1', true], ['code_cache=1 code_cache=false', false]]) {
    const tmp = tempDir();
    const run = guardedRun(tmp, options);
    assert.match(run.stderr, /use-after-free/);
    assert.doesNotMatch(run.stderr, /unrecognized option|VIEWSAN_OPTIONS code_cache/, options);
    assert.equal(cacheFiles(tmp).length, writes ? 1 : 0, options);
  }
});

test('the folder keeps the 16 caches written last', () => {
  const tmp = tempDir();
  fs.mkdirSync(cacheDir(tmp), { mode: 0o700 });
  const old = Array.from({ length: 20 }, (_, i) => `old-build-${i}.bin`);
  old.forEach((name, i) => {
    const file = path.join(cacheDir(tmp), name);
    fs.writeFileSync(file, 'stale');
    fs.utimesSync(file, new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i));
  });
  guardedRun(tmp);
  const kept = cacheFiles(tmp);
  assert.equal(kept.length, 16);
  assert.equal(kept.filter((name) => !old.includes(name)).length, 1, 'the new cache');
  assert.deepEqual(kept.filter((name) => old.includes(name)).sort(), old.slice(5).sort());
});
