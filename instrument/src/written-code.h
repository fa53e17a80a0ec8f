// The code of a module binary as engines see it: where each function's body is, and the name a
// JavaScript stack gives each function (`at frame_release (wasm://wasm/…:wasm-function[7]:0x12e)`
// names it from the name section only).

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace viewsan {

struct WrittenCode {
  // Where the Code section's contents start: DWARF's addresses count from there.
  uint64_t contentsStart = 0;
  // Each body's file offsets [start, end), from its locals on, in the order of the section.
  struct Body {
    uint32_t function; // its index, imports counted
    uint64_t start, end;
  };
  std::vector<Body> bodies;
  std::map<uint32_t, std::string> names; // the name section's, by function index

  // The body holding file offset `offset`, if one does.
  const Body* bodyAt(uint64_t offset) const;
};

// Reads the sections of `binary`, a module that imports `importedFunctions` functions. Returns
// nothing when it has no Code section or the sections do not frame.
std::optional<WrittenCode> readWrittenCode(std::string_view binary, uint32_t importedFunctions);

} // namespace viewsan
