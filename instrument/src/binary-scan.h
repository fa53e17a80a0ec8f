// A first pass over a module binary, before Binaryen reads it.
//
// Binaryen can still end the whole process on some malformed input (isolated-run.h), and sizes
// some tables by counts it has not checked, so the common problems (not a wasm file, truncation,
// sections running past the end, counts no section could hold) are caught here with a precise
// message and file offset. The scan also reads what viewsan needs before Binaryen runs: whether
// the memory is 64-bit, which custom sections exist, the name section's names, and the features
// target_features lists.

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace viewsan {

struct ScanError {
  std::optional<size_t> offset; // file offset of the problem, when there is one
  std::string message;
};

struct ModuleScan {
  bool memory64 = false;
  uint32_t importedFunctions = 0;
  uint32_t definedFunctions = 0;
  // Whether the module has a well-formed name section; a malformed one counts as absent
  // (name-section.h).
  bool hasNameSection = false;
  std::optional<std::string> moduleName;         // name section, subsection 0
  std::map<uint32_t, std::string> functionNames; // name section, subsection 1, by function index
  std::vector<std::string> dwarfSections;        // custom sections named .debug_*
  bool hasSourceMapUrl = false;                  // a sourceMappingURL custom section
  std::optional<std::string> sourceMapUrl;       // the URL it holds, when it reads as one
  bool hasDataCount = false; // a data count section, which memory.init and data.drop need
  // The features a target_features section lists as used ('+'), by name. Binaryen reads
  // "bulk-memory" as bulk-memory-opt too; this says whether the module named that one itself.
  std::vector<std::string> usedFeatures;
};

struct ScanResult {
  // Set when the binary is malformed, or already instrumented (it imports from "viewsan" or has
  // a viewsan.sites section): instrumenting twice would report every event twice.
  std::optional<ScanError> error;
  ModuleScan module;
};

ScanResult scanModule(std::string_view bytes);

} // namespace viewsan
