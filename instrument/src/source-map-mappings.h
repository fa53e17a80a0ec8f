// The "mappings" of a source map as Binaryen writes them for a wasm module: one generated line,
// whose generated columns are byte offsets in the module, each segment encoded as Base64 VLQ
// deltas from the one before.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace viewsan {

// One segment of a map's mappings, with its fields made absolute. A segment of one field says
// that from `offset` on the map gives no source location.
struct Segment {
  int64_t offset = 0;
  int fields = 1; // 1, 4 or 5
  int64_t file = 0, line = 0, column = 0, name = 0;
};

// Decodes one Base64 VLQ number from the front of `in`.
bool readVlq(std::string_view& in, int64_t& out);
void writeVlq(std::string& out, int64_t value);

// The "mappings" string of a source map. Binaryen writes the map itself, with no escapes in
// that string, so finding the key is enough. A null view when there is none.
std::string_view mappingsOf(std::string_view sourceMap);

// Decodes mappings of one generated line (Binaryen's are), calling `take` with each segment.
// Returns false on a malformed string.
template<typename Take> bool decodeMappings(std::string_view mappings, Take take) {
  Segment at;
  while (!mappings.empty()) {
    if (mappings.front() == ';') {
      at.offset = 0;
      mappings.remove_prefix(1);
      continue;
    }
    if (mappings.front() == ',') {
      mappings.remove_prefix(1);
      continue;
    }
    int64_t fields[5] = {};
    int count = 0;
    while (count < 5 && !mappings.empty() && mappings.front() != ',' && mappings.front() != ';') {
      if (!readVlq(mappings, fields[count++])) {
        return false;
      }
    }
    at.offset += fields[0];
    at.fields = count >= 5 ? 5 : count >= 4 ? 4 : 1;
    if (count >= 4) {
      at.file += fields[1];
      at.line += fields[2];
      at.column += fields[3];
    }
    if (count >= 5) {
      at.name += fields[4];
    }
    take(at);
  }
  return true;
}

} // namespace viewsan
