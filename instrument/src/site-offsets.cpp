#include "site-offsets.h"

#include "hook-names.h"
#include "source-map-mappings.h"
#include "wasm-encoding.h"

namespace viewsan {

namespace {

constexpr uint8_t kI32ConstOpcode = 0x41;
constexpr uint8_t kCallOpcode = 0x10;
constexpr uint8_t kReturnCallOpcode = 0x12;

// The offset of the call that passes site `id`, given where its id constant was written, or
// nothing if the bytes there are not what the passes emit.
std::optional<uint64_t> callAfterConstant(std::string_view binary, uint64_t at, int32_t id) {
  if (at >= binary.size() || uint8_t(binary[at]) != kI32ConstOpcode) {
    return std::nullopt;
  }
  ByteReader reader(binary.substr(at + 1), at + 1);
  int32_t value;
  uint8_t opcode;
  if (!reader.readS32(value, "site id") || value != id) {
    return std::nullopt;
  }
  uint64_t callOffset = reader.offset();
  if (!reader.readByte(opcode, "call") || (opcode != kCallOpcode && opcode != kReturnCallOpcode)) {
    return std::nullopt;
  }
  return callOffset;
}

} // namespace

std::optional<uint32_t> markSiteConstants(wasm::Module& module, const SiteTable& sites) {
  if (sites.sites().empty()) {
    return std::nullopt;
  }
  const uint32_t file = uint32_t(module.debugInfoFileNames.size());
  module.debugInfoFileNames.push_back(kSitesSection);
  for (size_t id = 0; id < sites.sites().size(); ++id) {
    const Site& site = sites.sites()[id];
    // Binaryen numbers lines from 1 and the map from 0. The column is not 0 because the writer
    // leaves out a location equal to the one it starts from, {file 0, line 1, 0}.
    site.holder->debugLocations[site.idConstant] =
      wasm::Function::DebugLocation{file, uint32_t(id + 1), 1, std::nullopt};
  }
  return file;
}

void readSiteOffsets(std::string_view sourceMap,
                     std::string_view binary,
                     SiteTable& sites,
                     std::optional<uint32_t> sitesFile) {
  if (!sitesFile) {
    return;
  }
  // Binaryen's maps are a single generated line, so the generated column is the byte offset.
  decodeMappings(mappingsOf(sourceMap), [&](const Segment& at) {
    if (at.fields < 4 || at.file != int64_t(*sitesFile)) {
      return;
    }
    // In the sites file every line is a site id.
    if (at.line >= 0 && uint64_t(at.line) < sites.sites().size() && at.offset >= 0) {
      sites.sites()[at.line].offset =
        callAfterConstant(binary, uint64_t(at.offset), int32_t(at.line));
    }
  });
}

std::optional<std::string> sourceMapWithoutFile(std::string_view sourceMap, uint32_t file) {
  std::string_view mappings = mappingsOf(sourceMap);
  static const std::string_view kSources = "\"sources\":[";
  size_t sources = sourceMap.find(kSources);
  if (!mappings.data() || sources == std::string_view::npos) {
    return std::nullopt;
  }
  // The file is the last source: its name, and the comma before it if there is one.
  std::string last = "\"" + std::string(kSitesSection) + "\"]";
  size_t name = sourceMap.find(last, sources);
  if (name == std::string_view::npos) {
    return std::nullopt;
  }
  size_t from = sourceMap[name - 1] == ',' ? name - 1 : name;
  std::string encoded;
  Segment previous;
  bool first = true;
  bool ok = decodeMappings(mappings, [&](const Segment& at) {
    if (at.fields >= 4 && at.file == int64_t(file)) {
      return;
    }
    if (!first) {
      encoded += ',';
    }
    first = false;
    writeVlq(encoded, at.offset - previous.offset);
    previous.offset = at.offset;
    if (at.fields >= 4) {
      writeVlq(encoded, at.file - previous.file);
      writeVlq(encoded, at.line - previous.line);
      writeVlq(encoded, at.column - previous.column);
      previous.file = at.file;
      previous.line = at.line;
      previous.column = at.column;
    }
    if (at.fields >= 5) {
      writeVlq(encoded, at.name - previous.name);
      previous.name = at.name;
    }
  });
  if (!ok) {
    return std::nullopt;
  }
  const size_t mappingsAt = size_t(mappings.data() - sourceMap.data());
  std::string out;
  out.reserve(sourceMap.size());
  out.append(sourceMap.substr(0, from));
  out.append(sourceMap.substr(name + last.size() - 1, mappingsAt - (name + last.size() - 1)));
  out.append(encoded);
  out.append(sourceMap.substr(mappingsAt + mappings.size()));
  return out;
}

} // namespace viewsan
