#include "site-offsets.h"

#include "expression-walker.h"
#include "hook-names.h"
#include "wasm-encoding.h"

#include <cstring>
#include <unordered_map>

namespace viewsan {

namespace {

constexpr uint8_t kI32ConstOpcode = 0x41;
constexpr uint8_t kCallOpcode = 0x10;
constexpr uint8_t kReturnCallOpcode = 0x12;

// Decodes one Base64 VLQ number, as source maps encode them, from the front of `in`.
bool readVlq(std::string_view& in, int64_t& out) {
  static const char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint64_t value = 0;
  unsigned shift = 0;
  while (!in.empty() && shift < 64) {
    const char* digit = std::strchr(kDigits, in.front());
    if (!digit || !*digit) {
      return false;
    }
    in.remove_prefix(1);
    uint64_t bits = uint64_t(digit - kDigits);
    value |= (bits & 31) << shift;
    shift += 5;
    if (!(bits & 32)) {
      // The lowest bit is the sign.
      out = (value & 1) ? -int64_t(value >> 1) : int64_t(value >> 1);
      return true;
    }
  }
  return false;
}

// The "mappings" string of a source map. Binaryen writes the map itself, with no escapes in
// that string, so finding the key is enough.
std::string_view mappingsOf(std::string_view sourceMap) {
  static const std::string_view kKey = "\"mappings\":\"";
  size_t start = sourceMap.find(kKey);
  if (start == std::string_view::npos) {
    return {};
  }
  start += kKey.size();
  size_t end = sourceMap.find('"', start);
  return end == std::string_view::npos ? std::string_view() : sourceMap.substr(start, end - start);
}

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

void markSiteConstants(BinaryenModuleRef module,
                       const SiteTable& sites,
                       const std::unordered_set<BinaryenFunctionRef>& holders) {
  std::unordered_map<BinaryenExpressionRef, uint32_t> idOf;
  for (size_t id = 0; id < sites.sites().size(); ++id) {
    idOf.emplace(sites.sites()[id].idConstant, uint32_t(id));
  }
  if (idOf.empty()) {
    return;
  }
  BinaryenIndex file = BinaryenModuleAddDebugInfoFileName(module, kSitesSection);
  for (BinaryenFunctionRef function : holders) {
    walkFunction(function, [&](BinaryenExpressionRef expression) -> BinaryenExpressionRef {
      auto found = idOf.find(expression);
      if (found != idOf.end()) {
        // Binaryen numbers lines from 1 and the map from 0. The column is not 0 because the
        // writer leaves out a location equal to the one it starts from, {file 0, line 1, 0}.
        BinaryenFunctionSetDebugLocation(function, expression, file, found->second + 1, 1);
      }
      return nullptr;
    });
  }
}

void readSiteOffsets(std::string_view sourceMap, std::string_view binary, SiteTable& sites) {
  std::string_view mappings = mappingsOf(sourceMap);
  // Every field is relative to the previous segment's; the generated column (here, the byte
  // offset) restarts at each ';', which Binaryen's single-line maps never contain.
  int64_t offset = 0, line = 0;
  while (!mappings.empty()) {
    if (mappings.front() == ';') {
      offset = 0;
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
        return;
      }
    }
    offset += fields[0];
    if (count < 4) {
      continue;
    }
    // fields[1] and fields[3] are the source file and column. Only the sites file is ever given
    // locations, so every line is a site id.
    line += fields[2];
    if (line >= 0 && uint64_t(line) < sites.sites().size() && offset >= 0) {
      sites.sites()[line].offset = callAfterConstant(binary, uint64_t(offset), int32_t(line));
    }
  }
}

} // namespace viewsan
