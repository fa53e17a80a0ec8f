#include "line-table.h"

#include "dwarf-reader.h"
#include "site-table.h"

#include <unordered_map>
#include <vector>

namespace viewsan {
namespace {

// Where the Code section's contents start in `binary`: DWARF's addresses count from there.
std::optional<uint64_t> codeContentsStart(std::string_view binary) {
  size_t pos = 8;
  auto leb = [&]() -> std::optional<uint64_t> {
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && pos < binary.size(); shift += 7) {
      uint8_t byte = uint8_t(binary[pos++]);
      value |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) {
        return value;
      }
    }
    return std::nullopt;
  };
  while (pos < binary.size()) {
    uint8_t id = uint8_t(binary[pos++]);
    std::optional<uint64_t> size = leb();
    if (!size || *size > binary.size() - pos) {
      return std::nullopt;
    }
    if (id == 10) {
      return pos;
    }
    pos += *size;
  }
  return std::nullopt;
}

// Gives each distinct string its index in a JSON array.
class StringIndex {
public:
  int index(const std::string& text) {
    if (text.empty()) {
      return -1;
    }
    auto [it, added] = indices_.emplace(text, int(strings_.size()));
    if (added) {
      strings_.push_back(text);
    }
    return it->second;
  }

  std::string json() const {
    std::string out = "[";
    for (size_t i = 0; i < strings_.size(); ++i) {
      out += (i ? "," : "") + jsonString(strings_[i]);
    }
    return out + "]";
  }

private:
  std::unordered_map<std::string, int> indices_;
  std::vector<std::string> strings_;
};

} // namespace

std::optional<std::string> lineTableJson(const wasm::Module& module, std::string_view binary) {
  std::optional<uint64_t> codeStart = codeContentsStart(binary);
  if (!codeStart) {
    return std::nullopt;
  }
  DwarfReader dwarf(module);
  if (!dwarf.usable()) {
    return std::nullopt;
  }
  StringIndex files, functions;
  std::string rows;
  std::string previous; // the last row's location, to leave out rows that repeat it
  size_t count = 0;
  dwarf.forEachRow([&](uint64_t address, bool endsSequence, llvm::DWARFCompileUnit* unit) {
    std::string row;
    if (!endsSequence) {
      for (const SourceFrame& frame : dwarf.frames(address, unit)) {
        row += "," + std::to_string(functions.index(frame.function)) + "," +
               std::to_string(files.index(frame.file)) + "," + std::to_string(frame.line) + "," +
               std::to_string(frame.column);
      }
    }
    if (row == previous) {
      return;
    }
    previous = row;
    rows += (count++ ? ",[" : "[") + std::to_string(*codeStart + address) + row + "]";
  });
  if (count == 0) {
    return std::nullopt;
  }
  return "{\"version\":1,\"files\":" + files.json() + ",\"functions\":" + functions.json() +
         ",\"rows\":[" + rows + "]}";
}

} // namespace viewsan
