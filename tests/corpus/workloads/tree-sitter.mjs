// web-tree-sitter (the tree-sitter parser in C through Emscripten with dynamic linking: the
// grammar is a side module the main module loads at run time) with tree-sitter-javascript's
// grammar: parses generated JavaScript, edits it and parses it again, through the package's own
// ES module entry, which instantiates web-tree-sitter.wasm with WebAssembly.instantiate.
//
//   node tree-sitter.mjs PACKAGE_DIR            prints the results as JSON
//   node tree-sitter.mjs PACKAGE_DIR --buggy    the buggy twin (below)
//
// The grammar comes from tree-sitter-javascript beside PACKAGE_DIR. The buggy twin is an app that
// reaches the main module's exports (by wrapping WebAssembly.instantiate, as profilers do) and
// keeps a view over a buffer it allocated and freed through them.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { isMain, printResults } from './run-main.mjs';

function source(seed) {
  let text = '';
  for (let i = 0; i < 200; i++) {
    text += `function f${seed}_${i}(a, b) { const c = a * ${i} + b; return c > ${seed} ? [c, "s${i}"] : { c }; }\n`;
  }
  return text;
}

export async function parseAndEdit(packageDir) {
  const { Parser, Language } = await import(pathToFileURL(join(packageDir, 'web-tree-sitter.js')).href);
  await Parser.init();
  const grammar = join(packageDir, '../tree-sitter-javascript/tree-sitter-javascript.wasm');
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  const results = {};
  for (let seed = 1; seed <= 3; seed++) {
    const text = source(seed);
    const tree = parser.parse(text);
    const edited = text.replace('return c', 'return  c');
    const at = text.indexOf('return c');
    tree.edit({
      startIndex: at, oldEndIndex: at + 6, newEndIndex: at + 7,
      startPosition: { row: 0, column: at }, oldEndPosition: { row: 0, column: at + 6 },
      newEndPosition: { row: 0, column: at + 7 },
    });
    const reparsed = parser.parse(edited, tree);
    results[seed] = {
      nodes: tree.rootNode.descendantCount, functions: tree.rootNode.namedChildCount,
      reparsedSexp: reparsed.rootNode.toString().length, hasError: reparsed.rootNode.hasError,
    };
    tree.delete();
    reparsed.delete();
  }
  parser.delete();
  return results;
}

export async function useAfterFree(packageDir) {
  // The main module, instantiated first, imports its memory (dynamic linking).
  let exports = null;
  let memory = null;
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (source, imports) {
    const result = await instantiate.call(this, source, imports);
    // The main module's, not a side module's or another runtime's.
    if ((result.instance ?? result).exports.malloc && imports?.env?.memory) {
      exports ??= (result.instance ?? result).exports;
      memory ??= imports.env.memory;
    }
    return result;
  };
  await parseAndEdit(packageDir);
  const ptr = exports.malloc(64);
  const view = new Uint8Array(memory.buffer, ptr, 64);
  view.fill(7);
  exports.free(ptr);
  return { sumAfterFree: view.reduce((sum, x) => sum + x, 0) };
}

if (isMain(import.meta.url)) {
  const [packageDir, twin] = process.argv.slice(2);
  printResults(await (twin === '--buggy' ? useAfterFree : parseAndEdit)(packageDir));
}
