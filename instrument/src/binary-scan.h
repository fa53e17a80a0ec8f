// A first pass over a module binary's framing, before Binaryen reads it.
//
// Binaryen 132 reads and checks the contents itself, throwing on what it cannot read, but some
// malformed input still ends the process (isolated-run.h). The scan stops what would, before
// any process is forked: counts Binaryen sizes tables by before it reads them (types, data
// segments, a data count that is not the data section's, a function's locals), and sections out
// of order (a data section before the data count section is a Fatal() in Binaryen). It gives
// the commonest problems (not a wasm file, truncation, sections running past the end) precise
// messages and file offsets, and refuses a module instrumented already (a viewsan.sites
// section; imports from "viewsan" are found once Binaryen has read it). It also reads what
// Binaryen does not keep, or what is needed before it runs: the name section's names as they are
// (Binaryen renames duplicates), which custom sections exist, whether there is a data count
// section, and the features target_features names.

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
  // Whether the module has a well-formed name section; a malformed one counts as absent
  // (name-section.h), and Binaryen, which would refuse the module for it, is told to skip it.
  bool hasNameSection = false;
  bool hasMalformedNameSection = false;
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
  // Set when the binary is malformed, or already instrumented (it has a viewsan.sites section):
  // instrumenting twice would report every event twice.
  std::optional<ScanError> error;
  ModuleScan module;
};

ScanResult scanModule(std::string_view bytes);

} // namespace viewsan
