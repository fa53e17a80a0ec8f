#include "instrumenter.h"

#include <cstdlib>

namespace viewsan {

using Severity = Diagnostic::Severity;

// One line "ok" or "failed", with the source map's length after it when there is one, one line
// per diagnostic ("note|error OFFSET|- MESSAGE"), an empty line, then the output bytes and the
// source map.
std::string encodeResult(InstrumentResult result) {
  std::string encoded = result.ok ? "ok" : "failed";
  if (result.sourceMap) {
    encoded += ' ';
    encoded += std::to_string(result.sourceMap->size());
  }
  encoded += "\n";
  for (const Diagnostic& diagnostic : result.diagnostics) {
    std::string message = diagnostic.message;
    for (char& c : message) {
      c = c == '\n' ? ' ' : c;
    }
    encoded += diagnostic.severity == Severity::Error ? "error " : "note ";
    encoded += diagnostic.offset ? std::to_string(*diagnostic.offset) : "-";
    encoded += " " + message + "\n";
  }
  encoded += "\n";
  encoded.reserve(encoded.size() + result.output.size() +
                  (result.sourceMap ? result.sourceMap->size() : 0));
  encoded.append(result.output);
  if (result.sourceMap) {
    encoded.append(*result.sourceMap);
  }
  return encoded;
}

std::optional<InstrumentResult> decodeResult(std::string bytes) {
  std::string_view encoded = bytes;
  auto nextLine = [&](std::string_view& line) {
    size_t end = encoded.find('\n');
    if (end == std::string_view::npos) {
      return false;
    }
    line = encoded.substr(0, end);
    encoded.remove_prefix(end + 1);
    return true;
  };
  InstrumentResult result;
  std::string_view line;
  if (!nextLine(line)) {
    return std::nullopt;
  }
  std::optional<size_t> mapSize;
  if (size_t space = line.find(' '); space != std::string_view::npos) {
    mapSize = std::strtoull(std::string(line.substr(space + 1)).c_str(), nullptr, 10);
    line = line.substr(0, space);
  }
  if (line != "ok" && line != "failed") {
    return std::nullopt;
  }
  result.ok = line == "ok";
  while (nextLine(line) && !line.empty()) {
    size_t space = line.find(' ');
    size_t second = line.find(' ', space == std::string_view::npos ? space : space + 1);
    if (second == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view severity = line.substr(0, space);
    std::string offset(line.substr(space + 1, second - space - 1));
    Diagnostic diagnostic{severity == "error" ? Severity::Error : Severity::Note,
                          std::nullopt,
                          std::string(line.substr(second + 1))};
    if (offset != "-") {
      diagnostic.offset = std::strtoull(offset.c_str(), nullptr, 10);
    }
    result.diagnostics.push_back(std::move(diagnostic));
  }
  if (!line.empty()) {
    return std::nullopt;
  }
  // The output moves rather than copies: it is most of the bytes.
  if (mapSize) {
    if (*mapSize > encoded.size()) {
      return std::nullopt;
    }
    result.sourceMap = std::string(encoded.substr(encoded.size() - *mapSize));
    encoded.remove_suffix(*mapSize);
  }
  const size_t start = size_t(encoded.data() - bytes.data()), outputSize = encoded.size();
  bytes.erase(0, start);
  bytes.resize(outputSize);
  result.output = std::move(bytes);
  return result;
}

} // namespace viewsan
