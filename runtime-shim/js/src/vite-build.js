// The `vite build` side of the plugin, with viewsan({ build: true }): the build's output carries
// viewsan as the dev server does.
//   - every .wasm the build emits as an asset (from `?url`, `?init`, `new URL(…, import.meta.url)`)
//     is replaced by its instrumented bytes; the .wasm files Vite copies from public/ too. Such a
//     .wasm is never inlined as a data: URL (build.assetsInlineLimit), so that it can be replaced.
//     Its asset file name keeps the hash of the original bytes.
//   - the runtime (register.js and what it loads) is emitted under `viewsan/` in the output,
//     and every HTML page loads it first.
// A module given with `?inline` stays inlined, unguarded: the runtime names it on the console.
// Node only: the package's main entry never loads this file.

import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export const RUNTIME_DIR = 'viewsan';

/**
 * build.assetsInlineLimit that never inlines a .wasm the plugin takes (`accepts()`, available
 * once the config is resolved), and otherwise decides as the user's setting would.
 */
export function inlineLimitKeepingWasm(userLimit, accepts) {
  return (file, content) => {
    if (file.endsWith('.wasm') && accepts()(file)) return false;
    if (typeof userLimit === 'function') return userLimit(file, content);
    return userLimit == null ? undefined : content.length < Number(userLimit);
  };
}

// What register.js loads, found by following the relative URLs in the package's modules: their
// imports (register.js's bundle in dist/ and its chunks), and the files they name with
// new URL('../…', import.meta.url). Paths are relative to the package's folder, with '/'. A name
// that is no file (the bundle keeps the sources' comments) is no part of it.
async function runtimeFiles(packageDir) {
  const found = new Set(['register.js']);
  const files = [];
  for (const name of found) {
    const source = await readFile(path.join(packageDir, name)).catch(() => null);
    if (!source) continue;
    files.push({ name, source });
    if (!name.endsWith('.js')) continue;
    for (const [, named] of source.toString('utf8').matchAll(/['"](\.\.?\/[\w./-]+\.(?:js|wasm))['"]/g)) {
      const inPackage = path.posix.normalize(path.posix.join(path.posix.dirname(name), named));
      if (!inPackage.startsWith('../')) found.add(inPackage);
    }
  }
  return files;
}

async function wasmFilesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.wasm'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * From generateBundle: replaces the bundle's .wasm assets and public/'s copies with instrumented
 * bytes (and their source maps beside them), and emits the runtime. `context` is the Rollup plugin
 * context; `instrument`, `accepts`, `say` are the plugin's.
 */
export async function emitInstrumented(context, bundle, { config, packageDir, instrument, accepts, say }) {
  async function instrumented(file, fileName) {
    let result;
    try {
      result = await instrument(file);
    } catch (error) {
      context.error(`viewsan: ${path.relative(config.root, file)} could not be instrumented: ${error.message}\n` +
        "(the plugin's exclude option leaves it as it is, unguarded)");
    }
    say(file, result);
    if (result.map) {
      const mapFileName = path.posix.join(path.posix.dirname(fileName), `viewsan-${result.hash}.wasm.map`);
      context.emitFile({ type: 'asset', fileName: mapFileName, source: await readFile(result.map) });
    }
    return result.bytes;
  }

  for (const output of Object.values(bundle)) {
    if (output.type !== 'asset' || !output.fileName.endsWith('.wasm')) continue;
    const original = output.originalFileNames?.[0] ?? output.originalFileName;
    if (!original) continue;
    const file = path.resolve(config.root, original);
    if (accepts(file)) output.source = await instrumented(file, output.fileName);
  }

  // Vite copies public/ into the output before this; an asset of the same name replaces the copy.
  if (config.publicDir && config.build.copyPublicDir !== false) {
    for (const file of await wasmFilesUnder(config.publicDir)) {
      if (!accepts(file)) continue;
      const fileName = path.relative(config.publicDir, file).split(path.sep).join('/');
      context.emitFile({ type: 'asset', fileName, source: await instrumented(file, fileName) });
    }
  }

  for (const { name, source } of await runtimeFiles(packageDir)) {
    context.emitFile({ type: 'asset', fileName: `${RUNTIME_DIR}/${name}`, source });
  }
}

/** register.js's URL in a built page: under the base, or relative to the page for a relative base. */
export function builtRegisterUrl(config, htmlFile) {
  if (config.base.startsWith('/') || /^[a-z]+:/i.test(config.base)) return `${config.base}${RUNTIME_DIR}/register.js`;
  const depth = path.relative(config.root, path.dirname(htmlFile)).split(path.sep).filter(Boolean).length;
  return `${depth ? '../'.repeat(depth) : './'}${RUNTIME_DIR}/register.js`;
}
