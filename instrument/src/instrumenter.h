// Instrumenting one module from start to end: read it with Binaryen, validate it, find its
// allocators, run the passes, and write it with its viewsan.sites section.

#pragma once

#include "allocator-families.h"
#include "binary-scan.h"
#include "diagnostic.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace viewsan {

struct InstrumentOptions {
  enum class Output { Binary, Text, Listing };
  Output output = Output::Binary;
  std::vector<AllocatorSpec> allocators; // named by --alloc, --free and --realloc
  // The module name for viewsan.sites when the name section has none, and where it came from
  // ("--module-name", "file name").
  std::string moduleName;
  std::string moduleNameOrigin;
  // The text of an Emscripten JS glue file (emscripten-glue.h), and its name for messages.
  std::optional<std::string> emscriptenGlue;
  std::string emscriptenGlueName;
  // Likewise for wasm-bindgen's JS glue (wasm-bindgen-glue.h).
  std::optional<std::string> wasmBindgenGlue;
  std::string wasmBindgenGlueName;
  // The JS file beside the input (app.js for app.wasm) when no glue was named: used as Emscripten
  // glue only if nothing else finds an allocator and it binds some (a minified build).
  std::optional<std::string> glueBeside;
  std::string glueBesideName;
  bool followWrappers = true; // allocator-wrappers.h
  // The input's source map, its name for messages, and whether the user named it
  // (--input-source-map: a map that cannot be read is an error) or the module's sourceMappingURL
  // section did (then it is left out with a note).
  std::optional<std::string> inputSourceMap;
  std::string inputSourceMapName;
  bool inputSourceMapGiven = false;
  // When set, the output's source map is written and its sourceMappingURL section gives this.
  std::optional<std::string> outputSourceMapUrl;
  // False to leave the input's DWARF sections out of the output rather than update them: Binaryen
  // ends the process on DWARF it cannot parse, so the tool tries again without it.
  bool keepDwarf = true;
  // False in a process that exits right after: freeing the IR of a large module takes a tenth
  // of a second, for nothing.
  bool freeModule = true;
};

struct InstrumentResult {
  bool ok = false;
  std::vector<Diagnostic> diagnostics;
  std::string output; // the module, as binary or text, or the --list report
  std::optional<std::string> sourceMap; // the output's, when outputSourceMapUrl was set
};

// Instruments a module that scanModule accepted. Binaryen can still end the process on input
// the scan let through, so a caller that must survive that runs this in a child process
// (isolated-run.h).
// The binary is taken by value and freed as soon as Binaryen has read it: on a large module
// that is felt in the peak memory. A caller that needs it no more moves it in.
InstrumentResult
instrumentModule(std::string binary, const ModuleScan& scan, const InstrumentOptions& options);

// The result as bytes, to pass from a child process to its parent, and back. Both take their
// argument by value, so that a caller that moves it in spares a copy of the module.
std::string encodeResult(InstrumentResult result);
std::optional<InstrumentResult> decodeResult(std::string encoded);

} // namespace viewsan
