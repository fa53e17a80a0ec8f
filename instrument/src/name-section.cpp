#include "name-section.h"

#include "wasm-encoding.h"

namespace viewsan {

namespace {

enum NameSubsection : uint8_t { ModuleName = 0, FunctionNames = 1 };

bool readFunctionNames(ByteReader& reader, std::map<uint32_t, std::string>& names) {
  uint32_t count;
  if (!reader.readU32(count, "function name count")) {
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t index;
    std::string_view name;
    if (!reader.readU32(index, "function index") || !reader.readName(name, "function name")) {
      return false;
    }
    names.emplace(index, name);
  }
  return reader.atEnd();
}

} // namespace

std::optional<NameSection> readNameSection(std::string_view content) {
  NameSection names;
  ByteReader section(content);
  while (!section.atEnd()) {
    uint8_t id;
    uint32_t size;
    std::string_view body;
    if (!section.readByte(id, "name subsection id") ||
        !section.readU32(size, "name subsection size") ||
        !section.readBytes(size, body, "name subsection")) {
      return std::nullopt;
    }
    ByteReader reader(body);
    if (id == ModuleName) {
      std::string_view name;
      if (!reader.readName(name, "module name") || !reader.atEnd()) {
        return std::nullopt;
      }
      names.moduleName = std::string(name);
    } else if (id == FunctionNames && !readFunctionNames(reader, names.functionNames)) {
      return std::nullopt;
    }
  }
  return names;
}

} // namespace viewsan
