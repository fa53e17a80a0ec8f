#include "binary-scan.h"

#include "hook-names.h"
#include "name-section.h"
#include "wasm-encoding.h"

#include <cstdio>

namespace viewsan {

namespace {

enum SectionId : uint8_t {
  CustomSection = 0,
  TypeSection = 1,
  StartSection = 8,
  CodeSection = 10,
  DataSection = 11,
  DataCountSection = 12,
};

struct SectionKind {
  const char* name;
  // Position in the order the binary format requires: data count comes before code, tag between
  // memory and global, and the strings of stringref after the tags.
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
  {"global", 8},
  {"export", 9},
  {"start", 10},
  {"element", 11},
  {"code", 13},
  {"data", 14},
  {"data count", 12},
  {"tag", 6},
  {"strings", 7},
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
  bool scanCode(ByteReader& body);
  bool scanLocals(std::string_view body, size_t offset);
  bool readCount(ByteReader& reader, uint32_t& count, const char* what);

  ModuleScan& module() { return result_.module; }

  std::string_view bytes_;
  ScanResult result_;
  // The counts of the data count section and the data section, with where each was.
  std::optional<std::pair<uint32_t, size_t>> dataCount_, dataSegments_;
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
  // Binaryen makes every segment the data count section announces before it reads one.
  if (dataCount_ && dataCount_->first != (dataSegments_ ? dataSegments_->first : 0)) {
    return fail(dataSegments_ ? dataSegments_->second : dataCount_->second,
                "the data count section says " + std::to_string(dataCount_->first) +
                  " data segments but the data section has " +
                  std::to_string(dataSegments_ ? dataSegments_->first : 0));
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

// Binaryen reads and checks every section itself. It sizes some tables by a count before it reads
// the entries, though, so those counts must be ones the section can hold; and it makes the
// locals of a function before it reads its code (scanLocals).
bool Scanner::scanSection(uint8_t id, ByteReader& body, size_t sectionOffset) {
  uint32_t count;
  size_t countOffset = body.offset();
  switch (id) {
    case CustomSection:
      return scanCustom(body, sectionOffset);
    case TypeSection:
      return readCount(body, count, "type count") && body.skip(body.remaining(), "section");
    case CodeSection:
      return scanCode(body);
    case DataSection:
      if (!readCount(body, count, "data segment count")) {
        return false;
      }
      dataSegments_.emplace(count, countOffset);
      return body.skip(body.remaining(), "section");
    case DataCountSection:
      module().hasDataCount = true;
      if (!body.readU32(count, "data count")) {
        return fail(body);
      }
      dataCount_.emplace(count, countOffset);
      return true;
    default:
      return body.skip(body.remaining(), "section");
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
    } else {
      module().hasMalformedNameSection = true;
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
