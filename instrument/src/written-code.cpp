#include "written-code.h"

#include "name-section.h"
#include "wasm-encoding.h"

#include <algorithm>

namespace viewsan {

namespace {

constexpr uint8_t kCustomSection = 0;
constexpr uint8_t kCodeSection = 10;
constexpr size_t kHeaderSize = 8;

bool readBodies(std::string_view contents,
                uint64_t contentsStart,
                uint32_t importedFunctions,
                std::vector<WrittenCode::Body>& bodies) {
  ByteReader reader(contents, contentsStart);
  uint32_t count;
  if (!reader.readU32(count, "function count")) {
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t size;
    if (!reader.readU32(size, "body size")) {
      return false;
    }
    const uint64_t start = reader.offset();
    if (!reader.skip(size, "body")) {
      return false;
    }
    bodies.push_back({importedFunctions + i, start, start + size});
  }
  return true;
}

} // namespace

const WrittenCode::Body* WrittenCode::bodyAt(uint64_t offset) const {
  auto after = std::upper_bound(bodies.begin(), bodies.end(), offset, [](uint64_t at, const Body& body) {
    return at < body.start;
  });
  if (after == bodies.begin() || offset >= std::prev(after)->end) {
    return nullptr;
  }
  return &*std::prev(after);
}

std::optional<WrittenCode> readWrittenCode(std::string_view binary, uint32_t importedFunctions) {
  if (binary.size() < kHeaderSize) {
    return std::nullopt;
  }
  WrittenCode code;
  bool hasCode = false;
  ByteReader reader(binary.substr(kHeaderSize), kHeaderSize);
  while (!reader.atEnd()) {
    uint8_t id;
    uint32_t size;
    std::string_view contents;
    if (!reader.readByte(id, "section id") || !reader.readU32(size, "section size")) {
      return std::nullopt;
    }
    const uint64_t contentsStart = reader.offset();
    if (!reader.readBytes(size, contents, "section")) {
      return std::nullopt;
    }
    if (id == kCodeSection) {
      code.contentsStart = contentsStart;
      hasCode = readBodies(contents, contentsStart, importedFunctions, code.bodies);
      if (!hasCode) {
        return std::nullopt;
      }
    } else if (id == kCustomSection) {
      ByteReader custom(contents);
      std::string_view name;
      if (custom.readName(name, "section name") && name == "name") {
        std::optional<NameSection> names =
          readNameSection(contents.substr(custom.offset()));
        if (names) {
          code.names = std::move(names->functionNames);
        }
      }
    }
  }
  if (!hasCode) {
    return std::nullopt;
  }
  return code;
}

} // namespace viewsan
