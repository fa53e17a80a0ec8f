// Helpers shared by the unit tests: test data the build makes, and hand-built binaries.

#pragma once

#include "wasm-encoding.h"

#include <wasm.h>

#include <initializer_list>
#include <optional>
#include <string>

namespace viewsan::test {

// A file the build writes to the test data directory (see tests/instrument/CMakeLists.txt).
std::string readTestData(const std::string& name);

// A module Binaryen built or parsed, written as a binary, and with `sourceMapUrl` its source map.
struct WrittenModule {
  std::string binary;
  std::string sourceMap;
};
WrittenModule writeModule(wasm::Module& module,
                          std::optional<std::string> sourceMapUrl = std::nullopt);

// Bytes given as numbers, which string literals make awkward once they hold zeroes.
inline std::string bytes(std::initializer_list<uint8_t> values) {
  return std::string(values.begin(), values.end());
}

// A name or byte vector as the binary format encodes it: its length, then its bytes.
inline std::string vec(const std::string& bytes) {
  std::string out;
  appendU32Leb(out, uint32_t(bytes.size()));
  return out + bytes;
}

inline std::string section(uint8_t id, const std::string& content) {
  return std::string(1, char(id)) + vec(content);
}

// The header followed by the given sections.
inline std::string module(std::initializer_list<std::string> sections) {
  std::string out("\0asm\1\0\0\0", 8);
  for (const std::string& s : sections) {
    out += s;
  }
  return out;
}

} // namespace viewsan::test
