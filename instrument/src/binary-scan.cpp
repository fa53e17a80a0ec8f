#include "binary-scan.h"

#include "hook-names.h"
#include "name-section.h"
#include "wasm-encoding.h"

#include <cstdio>

namespace viewsan {

namespace {

// Hooks report one memory's pointers and growth to a runtime that guards one memory.
constexpr const char* kSecondMemory =
  "multi-memory is not supported: this module has a second memory, and viewsan guards one linear memory";

enum SectionId : uint8_t {
  CustomSection = 0,
  TypeSection = 1,
  ImportSection = 2,
  FunctionSection = 3,
  TableSection = 4,
  MemorySection = 5,
  GlobalSection = 6,
  ExportSection = 7,
  StartSection = 8,
  ElementSection = 9,
  CodeSection = 10,
  DataSection = 11,
  DataCountSection = 12,
  TagSection = 13,
};

struct SectionKind {
  const char* name;
  // Position in the order the binary format requires: data count comes before code, and tag
  // between memory and global.
  int rank;
};

// By section id.
const SectionKind kSections[] = {
  {"custom", 0},
  {"type", 1},
  {"import", 2},
  {"function", 3},
  {"table", 4},
  {"memory", 5},
  {"global", 7},
  {"export", 8},
  {"start", 9},
  {"element", 10},
  {"code", 12},
  {"data", 13},
  {"data count", 11},
  {"tag", 6},
};
constexpr size_t kNumSections = sizeof(kSections) / sizeof(kSections[0]);

// Engines refuse functions with more locals than this (V8 and SpiderMonkey both use 50000).
constexpr uint64_t kMaxLocals = 50000;

std::string format(const char* fmt, unsigned long long value) {
  char buffer[128];
  snprintf(buffer, sizeof(buffer), fmt, value);
  return buffer;
}

class Scanner {
public:
  explicit Scanner(std::string_view bytes) : bytes_(bytes) {}

  ScanResult run() {
    scanAll();
    return std::move(result_);
  }

private:
  bool fail(std::optional<size_t> offset, std::string message) {
    result_.error = ScanError{offset, std::move(message)};
    return false;
  }
  bool fail(const ByteReader& reader) { return fail(reader.errorOffset(), reader.error()); }

  bool scanAll();
  bool scanHeader();
  bool scanSection(uint8_t id, ByteReader& body, size_t sectionOffset);
  bool scanCustom(ByteReader& body, size_t sectionStart);
  bool scanImports(ByteReader& body);
  bool scanMemories(ByteReader& body);
  bool scanFunctions(ByteReader& body);
  bool scanCode(ByteReader& body);
  bool scanLocals(std::string_view body, size_t offset);
  bool readCount(ByteReader& reader, uint32_t& count, const char* what);

  ModuleScan& module() { return result_.module; }

  std::string_view bytes_;
  ScanResult result_;
  uint32_t memories_ = 0;
  std::optional<uint32_t> codeBodies_;
  size_t codeOffset_ = 0;
};

bool Scanner::scanAll() {
  if (!scanHeader()) {
    return false;
  }
  ByteReader reader(bytes_.substr(8), 8);
  int lastRank = 0;
  bool seen[kNumSections] = {};
  while (!reader.atEnd()) {
    size_t idOffset = reader.offset();
    uint8_t id;
    uint32_t size;
    if (!reader.readByte(id, "section id")) {
      return fail(reader);
    }
    if (id >= kNumSections) {
      return fail(idOffset, format("invalid section id: %llu", id));
    }
    const char* name = kSections[id].name;
    size_t sizeOffset = reader.offset();
    if (!reader.readU32(size, "section size")) {
      return fail(reader);
    }
    if (size > reader.remaining()) {
      size_t left = reader.remaining();
      return fail(sizeOffset,
                  std::string(name) + " section size " + std::to_string(size) +
                    " extends past the end of the file (" + std::to_string(left) +
                    (left == 1 ? " byte left)" : " bytes left)"));
    }
    if (id != CustomSection) {
      if (seen[id]) {
        return fail(idOffset, std::string("duplicate ") + name + " section");
      }
      if (kSections[id].rank < lastRank) {
        return fail(idOffset, std::string(name) + " section out of order");
      }
      seen[id] = true;
      lastRank = kSections[id].rank;
    }
    std::string_view content;
    size_t contentOffset = reader.offset();
    reader.readBytes(size, content, name);
    ByteReader body(content, contentOffset);
    if (!scanSection(id, body, idOffset)) {
      return false;
    }
    if (id != CustomSection && !body.atEnd()) {
      return fail(body.offset(),
                  std::string("unexpected data at the end of the ") + name + " section");
    }
  }
  uint32_t bodies = codeBodies_.value_or(0);
  if (bodies != module().definedFunctions) {
    return fail(codeBodies_ ? codeOffset_ : bytes_.size(),
                "the function section declares " + std::to_string(module().definedFunctions) +
                  " functions but the code section has " + std::to_string(bodies));
  }
  return true;
}

bool Scanner::scanHeader() {
  static const char kMagic[] = {0, 'a', 's', 'm'};
  if (bytes_.size() < 4) {
    return fail(bytes_.size(), "unexpected end of file reading magic");
  }
  if (bytes_.substr(0, 4) != std::string_view(kMagic, 4)) {
    return fail(4, "bad magic value");
  }
  if (bytes_.size() < 8) {
    return fail(bytes_.size(), "unexpected end of file reading version");
  }
  uint32_t version = 0;
  for (int i = 0; i < 4; ++i) {
    version |= uint32_t(uint8_t(bytes_[4 + i])) << (8 * i);
  }
  if (version == 0x1000d) {
    return fail(8, "bad wasm file version: 0x1000d (a component; expected a core module, 0x1)");
  }
  if (version != 1) {
    return fail(8, format("bad wasm file version: 0x%llx (expected 0x1)", version));
  }
  return true;
}

bool Scanner::scanSection(uint8_t id, ByteReader& body, size_t sectionOffset) {
  switch (id) {
    case CustomSection:
      return scanCustom(body, sectionOffset);
    case ImportSection:
      return scanImports(body);
    case FunctionSection:
      return scanFunctions(body);
    case MemorySection:
      return scanMemories(body);
    case CodeSection:
      codeOffset_ = sectionOffset;
      return scanCode(body);
    case DataCountSection:
      module().hasDataCount = true;
      return body.skip(body.remaining(), "section");
    case StartSection: // an index, not a vector
      return body.skip(body.remaining(), "section");
    default: {
      // Binaryen checks the contents, but it sizes some tables by a section's count before it
      // reads the entries, so that count must be one the section can hold.
      uint32_t count;
      return readCount(body, count, "entry count") && body.skip(body.remaining(), "section");
    }
  }
}

bool Scanner::readCount(ByteReader& reader, uint32_t& count, const char* what) {
  size_t offset = reader.offset();
  if (!reader.readU32(count, what)) {
    return fail(reader);
  }
  // Every entry takes at least one byte.
  if (count > reader.remaining()) {
    return fail(offset,
                std::string(what) + " " + std::to_string(count) +
                  " is more than the section can hold");
  }
  return true;
}

bool Scanner::scanCustom(ByteReader& body, size_t sectionStart) {
  std::string_view name;
  if (!body.readName(name, "custom section name")) {
    return fail(body);
  }
  if (name == kSitesSection) {
    return fail(sectionStart,
                std::string("module is already instrumented: it has a ") + kSitesSection +
                  " section");
  }
  if (name == "name") {
    std::string_view content;
    body.readBytes(body.remaining(), content, "name section");
    if (std::optional<NameSection> names = readNameSection(content)) {
      module().hasNameSection = true;
      module().moduleName = std::move(names->moduleName);
      module().functionNames = std::move(names->functionNames);
    }
  } else if (name.substr(0, 7) == ".debug_") {
    module().dwarfSections.emplace_back(name);
  } else if (name == "sourceMappingURL") {
    module().hasSourceMapUrl = true;
    std::string_view url;
    if (body.readName(url, "source map URL")) {
      module().sourceMapUrl = std::string(url);
    }
  } else if (name == "target_features") {
    // Best effort: Binaryen reads and checks the section itself.
    uint32_t count = 0;
    body.readU32(count, "feature count");
    for (uint32_t i = 0; i < count && body.remaining() > 0; ++i) {
      uint8_t prefix = 0;
      std::string_view feature;
      if (!body.readByte(prefix, "feature prefix") || !body.readName(feature, "feature name")) {
        break;
      }
      if (prefix == '+') {
        module().usedFeatures.emplace_back(feature);
      }
    }
  }
  return true;
}

bool Scanner::scanImports(ByteReader& body) {
  uint32_t count;
  if (!readCount(body, count, "import count")) {
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    size_t entryOffset = body.offset();
    std::string_view moduleName, field;
    uint8_t kind;
    if (!body.readName(moduleName, "import module name") ||
        !body.readName(field, "import field name") || !body.readByte(kind, "import kind")) {
      return fail(body);
    }
    if (moduleName == kHookModule) {
      return fail(entryOffset,
                  std::string("module is already instrumented: it imports \"") + kHookModule +
                    "\" \"" + std::string(field) + "\"");
    }
    uint32_t index;
    uint8_t byte;
    bool is64;
    switch (kind) {
      case 0: // function: type index
        if (!body.readU32(index, "function import type")) {
          return fail(body);
        }
        ++module().importedFunctions;
        break;
      case 1: // table: element type and limits
        if (!body.skipValueType() || !body.readLimits(is64)) {
          return fail(body);
        }
        break;
      case 2: // memory: limits
        if (!body.readLimits(is64)) {
          return fail(body);
        }
        module().memory64 = is64;
        ++memories_;
        break;
      case 3: // global: value type and mutability
        if (!body.skipValueType() || !body.readByte(byte, "global mutability")) {
          return fail(body);
        }
        break;
      case 4: // tag: attribute and type index
        if (!body.readByte(byte, "tag attribute") || !body.readU32(index, "tag type")) {
          return fail(body);
        }
        break;
      default:
        return fail(entryOffset, format("invalid import kind: %llu", kind));
    }
  }
  return memories_ <= 1 || fail(body.offset(), kSecondMemory);
}

bool Scanner::scanMemories(ByteReader& body) {
  uint32_t count;
  if (!readCount(body, count, "memory count")) {
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    bool is64;
    if (!body.readLimits(is64)) {
      return fail(body);
    }
    module().memory64 = is64;
  }
  memories_ += count;
  return memories_ <= 1 || fail(body.offset(), kSecondMemory);
}

bool Scanner::scanFunctions(ByteReader& body) {
  uint32_t count;
  if (!readCount(body, count, "function count")) {
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t type;
    if (!body.readU32(type, "function type index")) {
      return fail(body);
    }
  }
  module().definedFunctions = count;
  return true;
}

bool Scanner::scanCode(ByteReader& body) {
  uint32_t count;
  if (!readCount(body, count, "function body count")) {
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t size;
    std::string_view function;
    if (!body.readU32(size, "function body size")) {
      return fail(body);
    }
    size_t offset = body.offset();
    if (!body.readBytes(size, function, "function body")) {
      return fail(body);
    }
    if (!scanLocals(function, offset)) {
      return false;
    }
  }
  codeBodies_ = count;
  return true;
}

// Binaryen allocates a function's locals before it reads the code, so their number is checked
// here; the code itself is Binaryen's to read.
bool Scanner::scanLocals(std::string_view function, size_t offset) {
  ByteReader reader(function, offset);
  uint32_t groups;
  if (!readCount(reader, groups, "local group count")) {
    return false;
  }
  uint64_t locals = 0;
  for (uint32_t i = 0; i < groups; ++i) {
    size_t groupOffset = reader.offset();
    uint32_t count;
    if (!reader.readU32(count, "local count")) {
      return fail(reader);
    }
    locals += count;
    if (locals > kMaxLocals) {
      return fail(groupOffset, "too many locals: more than " + std::to_string(kMaxLocals));
    }
    if (!reader.skipValueType()) {
      return fail(reader);
    }
  }
  return true;
}

} // namespace

ScanResult scanModule(std::string_view bytes) {
  return Scanner(bytes).run();
}

} // namespace viewsan
