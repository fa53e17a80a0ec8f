// node instantiate.mjs MODULE.wasm [EXPORT ARGS...]
//
// Compiles and instantiates a module in V8 with no-op viewsan hooks (and, for an "env" "table"
// import, a funcref table of the size asked for), prints each export's kind, and calls the named
// export with the given integer arguments, printing the result and each hook call.
import { readFileSync } from 'node:fs';

const [file, call, ...args] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(file));
const hook = (name) => (...values) => console.log(`hook ${name}(${values.join(', ')})`);
const imports = {};
for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
  imports[from] ??= {};
  if (from === 'viewsan') {
    imports[from][name] = hook(name);
  } else if (kind === 'table') {
    imports[from][name] = new WebAssembly.Table({ element: 'anyfunc', initial: 8 });
  } else {
    throw new Error(`unexpected import ${from}.${name} (${kind})`);
  }
}
const { exports } = new WebAssembly.Instance(module, imports);
for (const [name, value] of Object.entries(exports)) {
  const kind = value instanceof WebAssembly.Table ? 'WebAssembly.Table, length ' + value.length
    : value instanceof WebAssembly.Memory ? 'WebAssembly.Memory'
    : typeof value;
  console.log(`export ${name}: ${kind}`);
}
if (call) {
  console.log(`${call}(${args.join(', ')}) = ${exports[call](...args.map(Number))}`);
}
