// What a JS glue file says about a module's allocator: which export is behind which allocator of
// the table (allocator-families.h). Emscripten's glue (emscripten-glue.h) and wasm-bindgen's
// (wasm-bindgen-glue.h) are read for minified builds, whose export names say nothing.

#pragma once

#include <string>
#include <vector>

namespace viewsan {

struct GlueBinding {
  std::string symbol;     // how the glue names it, "_malloc"
  std::string exportName; // the wasm export it is bound to, "Ia"
  std::string allocator;  // the table's allocator it stands for, "malloc"
  std::string flag;       // the option that read the glue, for messages: "--emscripten-glue"
};

struct GlueReading {
  std::vector<GlueBinding> bindings;  // in the order of `symbols`
  std::vector<std::string> ambiguous; // symbols bound to more than one export
};

} // namespace viewsan
