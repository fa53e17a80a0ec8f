// Instruments .wasm files with the native viewsan-instrument, once per content: the result is
// kept under a cache folder (the Vite plugin's is <Vite cacheDir>/viewsan, node_modules/.vite/viewsan
// by default), named by a hash of the module's bytes, the tool and its arguments, so that a
// restarted dev server serves at once what it served before. The input file is only ever read.
//
//   <hash>.wasm      the instrumented module
//   <hash>.wasm.map  its source map, when the input had one (the module names it by `mapUrl`)
//   <hash>.json      what the run said: {asIs, notes, map}; written last, so its presence means
//                    the entry is whole
//
// A module that is instrumented already (the tool refuses it, exit 1, "module is already
// instrumented") is served as it is: `asIs` in the result, no <hash>.wasm.
// Node only: the package's main entry never loads this file.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ALREADY_INSTRUMENTED = /module is already instrumented/;

function run(tool, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stderr: stderr.trim() }));
  });
}

async function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

const exists = (file) => stat(file).then(() => true, () => false);

/**
 * `tool`: the native viewsan-instrument. `args(file)`: its extra arguments for that input.
 * `mapUrl(hash)`: the URL an instrumented module names as its source map. `cacheDir`: where
 * results live. Returns `instrument(file)`, which resolves to
 * `{bytes, hash, asIs, notes, map, fresh}`: `map` is the path of the source map or null, `fresh`
 * is true when this call ran the tool.
 */
export async function createInstrumentCache({ tool, args = () => [], mapUrl, cacheDir }) {
  const toolStat = await stat(tool);
  const toolIdentity = `${await realpath(tool)}:${toolStat.size}:${toolStat.mtimeMs}`;
  const byFile = new Map();  // file -> {size, mtimeMs, result: Promise}

  async function instrumentBytes(file, bytes) {
    const extraArgs = args(file);
    const hash = createHash('sha256')
      .update(JSON.stringify({ toolIdentity, extraArgs, mapUrl: mapUrl('{hash}') }))
      .update(bytes)
      .digest('hex');
    const entry = path.join(cacheDir, hash);
    const original = () => ({ bytes, hash, asIs: true, map: null });
    try {
      const meta = JSON.parse(await readFile(`${entry}.json`, 'utf8'));
      if (meta.asIs) return { ...original(), notes: meta.notes, fresh: false };
      return {
        bytes: await readFile(`${entry}.wasm`), hash, asIs: false, notes: meta.notes,
        map: meta.map ? `${entry}.wasm.map` : null, fresh: false,
      };
    } catch {
      // not cached (or the entry is incomplete): instrument below
    }

    await mkdir(cacheDir, { recursive: true });
    const output = `${entry}.${process.pid}.${randomBytes(4).toString('hex')}.tmp.wasm`;
    try {
      const { status, signal, stderr } = await run(tool, [
        file, '-o', output, `--output-source-map-url=${mapUrl(hash)}`, ...extraArgs,
      ]);
      if (status === 1 && ALREADY_INSTRUMENTED.test(stderr)) {
        await writeAtomically(`${entry}.json`, JSON.stringify({ asIs: true, notes: stderr }));
        return { ...original(), notes: stderr, fresh: true };
      }
      if (status !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with status ${status}`;
        throw new Error(`viewsan-instrument ${how} on ${file}${stderr ? `:\n${stderr}` : ''}`);
      }
      const map = await exists(`${output}.map`);
      if (map) await rename(`${output}.map`, `${entry}.wasm.map`);
      await rename(output, `${entry}.wasm`);
      await writeAtomically(`${entry}.json`, JSON.stringify({ asIs: false, notes: stderr, map }));
      return {
        bytes: await readFile(`${entry}.wasm`), hash, asIs: false, notes: stderr,
        map: map ? `${entry}.wasm.map` : null, fresh: true,
      };
    } finally {
      await rm(output, { force: true });
      await rm(`${output}.map`, { force: true });
    }
  }

  return async function instrument(file) {
    const { size, mtimeMs } = await stat(file);
    const known = byFile.get(file);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known.result;
    const result = readFile(file).then((bytes) => instrumentBytes(file, bytes));
    byFile.set(file, { size, mtimeMs, result });
    // A failure is not remembered: the next request tries again.
    result.catch(() => { if (byFile.get(file)?.result === result) byFile.delete(file); });
    return result;
  };
}
