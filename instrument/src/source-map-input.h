// The input's source map, made safe for Binaryen's reader, which asserts (ending the process) on
// two things real maps hold: a `null` in sourcesContent, which maps give for a source whose text
// they do not carry, and a version that is a number but not an integer.

#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace viewsan {

struct InputSourceMap {
  std::string text; // the map with each null in sourcesContent made an empty string
  size_t nullContents = 0;
  std::optional<std::string> error; // a map no reader should take
};

// `map` is JSON text; what is not well-formed JSON is left for Binaryen to refuse.
InputSourceMap prepareInputSourceMap(std::string map);

} // namespace viewsan
