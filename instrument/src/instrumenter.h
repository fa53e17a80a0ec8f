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
};

struct InstrumentResult {
  bool ok = false;
  std::vector<Diagnostic> diagnostics;
  std::string output; // the module, as binary or text, or the --list report
};

// Instruments a module that scanModule accepted. Binaryen can still end the process on input
// the scan let through, so a caller that must survive that runs this in a child process
// (isolated-run.h).
InstrumentResult
instrumentModule(std::string_view binary, const ModuleScan& scan, const InstrumentOptions& options);

// The result as bytes, to pass from a child process to its parent, and back.
std::string encodeResult(const InstrumentResult& result);
std::optional<InstrumentResult> decodeResult(std::string_view encoded);

} // namespace viewsan
