// emscripten(): glue for Emscripten-generated loaders. Emscripten lets the app instantiate the
// module through `Module.instantiateWasm(imports, receiveInstance)`; viewsan does it, guarded.
//
//   const glue = emscripten({ wasmBinary });
//   const app = await createApp({ ...glue });   // glue.session is live once the app is ready
//
// An app built with -pthread instantiates the same module in each of its workers, which
// Emscripten creates before it asks for the main thread's instance: from the glue's creation on,
// workers get the runtime (with VIEWSAN_OPTIONS, as under register), so that theirs are guarded
// too, over the heap's one registry.

import { environmentOptions, printError } from './environment.js';
import { instantiate } from './instantiate.js';
import { resolveOptions } from './options.js';
import { propagateToWorkers } from './worker-propagation.js';

export function emscripten(options = {}) {
  const { wasmBinary, wasmURL, ...viewsanOptions } = options;
  propagateToWorkers(resolveOptions(viewsanOptions, environmentOptions()));
  const glue = {
    session: null,
    // Emscripten 3.1.x calls this as a method of the Module (so `this.wasmBinary` is the app's own
    // option); minified bundles call it as a plain function, so `wasmBinary` must be passed then.
    instantiateWasm(imports, receiveInstance) {
      const source = wasmBinary ?? (wasmURL ? fetch(wasmURL) : this?.wasmBinary);
      if (!source) {
        throw new Error('viewsan: emscripten() needs the module bytes: pass { wasmBinary } or { wasmURL }');
      }
      instantiate(source, imports, viewsanOptions).then(
        ({ instance, module, session }) => {
          glue.session = session;
          receiveInstance(instance, module);
        },
        (error) => {
          printError(`viewsan: failed to instantiate the Emscripten module: ${error.message}`);
          throw error;
        });
      return {};  // tells Emscripten the instance arrives asynchronously
    },
  };
  return glue;
}
