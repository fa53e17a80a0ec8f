// @biomejs/wasm-nodejs (Biome, Rust through a recent wasm-bindgen, 45 MB, two tables): a
// workspace formats and lints a few generated JavaScript and TypeScript files, through the
// package's own CommonJS entry, which instantiates biome_wasm_bg.wasm with `new
// WebAssembly.Instance`.
//
//   node biome.mjs PACKAGE_DIR            prints the results as JSON
//   node biome.mjs PACKAGE_DIR --buggy    the buggy twin (below)
//
// The buggy twin is an app that reaches the module's exports (as profilers and test harnesses
// do, by wrapping WebAssembly.Instance) and keeps a view over a buffer it allocated and freed
// through the allocator exports wasm-bindgen uses.

import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { digest, isMain, printResults } from './run-main.mjs';

const require = createRequire(import.meta.url);

function source(seed) {
  const lines = [];
  for (let i = 0; i < 40; i++) {
    const k = (seed * 31 + i * 7) % 5;
    if (k === 0) lines.push(`const  value${i}=${i}+ ${seed};`);
    else if (k === 1) lines.push(`function f${i}( x ){ if (x == ${i}) { return x+value0 } return ${i} }`);
    else if (k === 2) lines.push(`let unused${i} = [${i},${seed},  3];`);
    else if (k === 3) lines.push(`export const g${i} = (a: number, b: string): string => b.repeat(a)  ;`);
    else lines.push(`if (value0 === ${i}) { debugger }`);
  }
  return lines.join('\n') + '\n';
}

export function formatAndLint(packageDir) {
  const biome = require(resolve(packageDir));
  const workspace = new biome.Workspace();
  const { projectKey } = workspace.openProject({ path: '/', openUninitialized: true });
  const results = {};
  for (let seed = 1; seed <= 6; seed++) {
    const path = `/src/file${seed}.ts`;
    workspace.openFile({ projectKey, path, content: { type: 'fromClient', content: source(seed), version: 0 } });
    const { code } = workspace.formatFile({ projectKey, path });
    const { diagnostics } = workspace.pullDiagnostics({
      projectKey, path, categories: ['syntax', 'lint'], pullCodeActions: false,
    });
    results[path] = { formatted: code.length, lines: code.split('\n').length,
      diagnostics: diagnostics.map((d) => d.category).sort() };
    workspace.closeFile({ projectKey, path });
  }
  workspace.free();
  return results;
}

export async function useAfterFree(packageDir) {
  let exports = null;
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = new Proxy(Instance, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget === WebAssembly.Instance ? target : newTarget);
      // Biome's, not another module's (a sanitizer's runtime has its own).
      if (instance.exports.__wbindgen_malloc_command_export) exports ??= instance.exports;
      return instance;
    },
  });
  formatAndLint(packageDir);
  const malloc = exports.__wbindgen_malloc_command_export;
  const free = exports.__wbindgen_free_command_export;
  const ptr = malloc(64, 1);
  const view = new Uint8Array(exports.memory.buffer, ptr, 64);
  view.fill(7);
  free(ptr, 64, 1);
  return { digestAfterFree: await digest(view.map((x) => x)) };
}

if (isMain(import.meta.url)) {
  const [packageDir, twin] = process.argv.slice(2);
  printResults(twin === '--buggy' ? await useAfterFree(packageDir) : formatAndLint(packageDir));
}
