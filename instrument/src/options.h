// The command line of viewsan-instrument. One option table drives both parsing and --help.

#pragma once

#include "allocator-families.h"

#include <optional>
#include <string>
#include <vector>

namespace viewsan {

struct CommandLine {
  enum class Action { Instrument, List, Help, Version };
  Action action = Action::Instrument;
  std::string input;
  std::string output; // "-" for stdout
  bool inPlace = false; // --in-place: the output replaces the input
  bool text = false;
  std::vector<AllocatorSpec> allocators;
  std::optional<std::string> moduleName;
  std::optional<std::string> emscriptenGlue; // the glue file's path
  std::optional<std::string> wasmBindgenGlue; // likewise
  bool followWrappers = true;
  std::optional<std::string> inputSourceMap;     // --input-source-map FILE
  std::optional<std::string> outputSourceMap;    // --output-source-map FILE
  std::optional<std::string> outputSourceMapUrl; // --output-source-map-url URL
};

// Parses the arguments after the program name. Returns a usage error, or nothing with `out`
// filled in. --help and --version win over everything else on the line.
std::optional<std::string> parseCommandLine(const std::vector<std::string>& args, CommandLine& out);

std::string helpText();
std::string versionText();

} // namespace viewsan
