#include "site-table.h"

#include <cstdio>

namespace viewsan {

const char* siteKindName(SiteKind kind) {
  switch (kind) {
    case SiteKind::Export:
      return "export";
    case SiteKind::Call:
      return "call";
    case SiteKind::MemoryGrow:
      return "memory.grow";
  }
  return "?";
}

const char* coverageName(Coverage coverage) {
  return coverage == Coverage::Complete ? "complete" : "partial";
}

void SiteTable::add(SiteKind kind,
                    uint32_t func,
                    std::optional<uint32_t> callee,
                    wasm::Const* idConstant,
                    wasm::Function* holder,
                    wasm::Expression* origin) {
  idConstant->value = wasm::Literal(int32_t(sites_.size()));
  sites_.push_back(
    Site{kind, func, callee, std::nullopt, idConstant, holder, origin, std::nullopt, std::nullopt});
}

void SiteTable::addExport(uint32_t func,
                          const AllocatorSpec& spec,
                          wasm::Const* idConstant,
                          wasm::Function* holder) {
  add(SiteKind::Export, func, func, idConstant, holder);
  sites_.back().allocator = spec;
}

namespace {

// The length of the well-formed UTF-8 sequence at the start of `bytes`, or 0 if there is none:
// no overlong forms, no surrogates, nothing above U+10FFFF.
size_t utf8SequenceLength(std::string_view bytes) {
  auto byte = [&](size_t i) { return i < bytes.size() ? uint8_t(bytes[i]) : 0; };
  auto continuation = [&](size_t i) { return (byte(i) & 0xc0) == 0x80; };
  uint8_t lead = byte(0);
  if (lead >= 0xc2 && lead <= 0xdf) {
    return continuation(1) ? 2 : 0;
  }
  if (lead >= 0xe0 && lead <= 0xef) {
    uint8_t low = lead == 0xe0 ? 0xa0 : 0x80, high = lead == 0xed ? 0x9f : 0xbf;
    return byte(1) >= low && byte(1) <= high && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    uint8_t low = lead == 0xf0 ? 0x90 : 0x80, high = lead == 0xf4 ? 0x8f : 0xbf;
    return byte(1) >= low && byte(1) <= high && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

} // namespace

namespace {

// An export site's allocator: `"role":"free","ptr":0,"exports":["i"]`, its argument positions
// as --alloc, --free and --realloc take them.
std::string allocatorJson(const AllocatorSpec& spec, const std::vector<std::string>& exports) {
  std::string json = ",\"role\":\"" + std::string(roleName(spec.role)) + "\"";
  for (const auto& [key, position] : setPositions(spec.args)) {
    json += ",\"" + std::string(key) + "\":" + std::to_string(position);
  }
  json += ",\"exports\":[";
  for (size_t i = 0; i < exports.size(); ++i) {
    json += (i ? "," : "") + jsonString(exports[i]);
  }
  return json + "]";
}

} // namespace

std::string jsonString(std::string_view bytes) {
  std::string out = "\"";
  for (size_t i = 0; i < bytes.size();) {
    uint8_t c = uint8_t(bytes[i]);
    if (c >= 0x80) {
      size_t length = utf8SequenceLength(bytes.substr(i));
      if (length) {
        out.append(bytes.substr(i, length));
        i += length;
      } else {
        out += "\\ufffd";
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out += escaped;
        } else {
          out += char(c);
        }
    }
    ++i;
  }
  return out + "\"";
}

std::string sitesJson(std::string_view module,
                      Coverage coverage,
                      const std::vector<Site>& sites,
                      const std::function<std::string(uint32_t)>& nameOf,
                      const std::function<std::vector<std::string>(uint32_t)>& exportsOf) {
  std::string json = "{\"version\":1,\"module\":" + jsonString(module) + ",\"coverage\":\"" +
                     coverageName(coverage) + "\",\"sites\":[";
  for (size_t id = 0; id < sites.size(); ++id) {
    const Site& site = sites[id];
    json += id ? ",{" : "{";
    json += "\"id\":" + std::to_string(id);
    json += ",\"kind\":\"" + std::string(siteKindName(site.kind)) + "\"";
    const std::optional<SourceLocation>& source = site.source;
    // Code inlined from another function is named by that function, in the one it sits in.
    const bool inlined = source && source->inlinedFrom;
    json += ",\"func\":" + jsonString(inlined ? *source->inlinedFrom : nameOf(site.func));
    json += ",\"callee\":" + (site.callee ? jsonString(nameOf(*site.callee)) : "null");
    json += ",\"offset\":" + (site.offset ? std::to_string(*site.offset) : "null");
    // Only when known: the section stays as contract 1 has it for modules without debug info.
    if (source) {
      json += ",\"file\":" + jsonString(source->file);
      json += ",\"line\":" + std::to_string(source->line);
      json += ",\"column\":" + (source->column ? std::to_string(source->column) : "null");
      json += ",\"inlinedInto\":" + (inlined ? jsonString(nameOf(site.func)) : "null");
    }
    if (site.allocator) {
      json += allocatorJson(*site.allocator, exportsOf(site.func));
    }
    json += "}";
  }
  return json + "]}";
}

} // namespace viewsan
