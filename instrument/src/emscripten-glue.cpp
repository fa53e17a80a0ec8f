#include "emscripten-glue.h"

#include <algorithm>

namespace viewsan {

namespace {

// An assignment's right side is short; a longer scan has lost its way in something the reader
// does not understand (a regular expression literal holding a quote, say).
constexpr size_t kMaxStatement = 4096;

bool isIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

size_t skipSpaces(std::string_view js, size_t at) {
  while (at < js.size() && (js[at] == ' ' || js[at] == '\t')) {
    ++at;
  }
  return at;
}

// Whether an assignment's `=` is at `at`: not `==`, `===` or `=>`.
bool isAssignment(std::string_view js, size_t at) {
  return at < js.size() && js[at] == '=' &&
         (at + 1 >= js.size() || (js[at + 1] != '=' && js[at + 1] != '>'));
}

// If `symbol` at `at` is the target of an assignment, the position just after its `=`.
size_t assignmentAt(std::string_view js, size_t at, const std::string& symbol) {
  size_t end = at + symbol.size();
  if (end < js.size() && isIdentifierChar(js[end])) {
    return std::string_view::npos; // a longer name: _malloc_usable_size
  }
  char before = at > 0 ? js[at - 1] : ' ';
  if (before == '"' || before == '\'') {
    // A subscript: ["_malloc"] =
    if (at < 2 || js[at - 2] != '[' || end >= js.size() || js[end] != before) {
      return std::string_view::npos;
    }
    end = skipSpaces(js, end + 1);
    if (end >= js.size() || js[end] != ']') {
      return std::string_view::npos;
    }
    ++end;
  } else if (before != '.' && isIdentifierChar(before)) {
    return std::string_view::npos;
  }
  end = skipSpaces(js, end);
  return isAssignment(js, end) ? end + 1 : std::string_view::npos;
}

// The names read in the statement that starts at `at`: property names (`.Ia`) and string
// literals (`["malloc"]`, `createExportWrapper("malloc")`). The statement ends at a `;`, `,` or
// line break outside brackets, or at a bracket that closes one opened before it.
std::vector<std::string_view> namesInStatement(std::string_view js, size_t at) {
  std::vector<std::string_view> names;
  int depth = 0;
  size_t limit = std::min(js.size(), at + kMaxStatement);
  for (size_t i = at; i < limit; ++i) {
    char c = js[i];
    if (c == '"' || c == '\'' || c == '`') {
      size_t start = i + 1;
      for (++i; i < limit && js[i] != c; ++i) {
        i += js[i] == '\\' ? 1 : 0;
      }
      names.push_back(js.substr(start, std::min(i, limit) - start));
    } else if (c == '/' && i + 1 < limit && (js[i + 1] == '/' || js[i + 1] == '*')) {
      size_t end = js[i + 1] == '/' ? js.find('\n', i) : js.find("*/", i + 2);
      if (end == std::string_view::npos || end >= limit) {
        break;
      }
      i = js[i + 1] == '/' ? end - 1 : end + 1;
    } else if (c == '.' && i + 1 < limit && isIdentifierChar(js[i + 1]) &&
               !(js[i + 1] >= '0' && js[i + 1] <= '9')) {
      size_t start = i + 1;
      while (i + 1 < limit && isIdentifierChar(js[i + 1])) {
        ++i;
      }
      names.push_back(js.substr(start, i + 1 - start));
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (--depth < 0) {
        break;
      }
    } else if (depth == 0 && (c == ';' || c == ',' || c == '\n')) {
      break;
    }
  }
  return names;
}

} // namespace

GlueReading readEmscriptenGlue(std::string_view js,
                               const std::vector<std::string>& symbols,
                               const std::function<bool(std::string_view)>& isFunctionExport) {
  GlueReading reading;
  for (const std::string& symbol : symbols) {
    std::vector<std::string> exports;
    for (size_t at = js.find(symbol); at != std::string_view::npos; at = js.find(symbol, at + 1)) {
      size_t rightSide = assignmentAt(js, at, symbol);
      if (rightSide == std::string_view::npos) {
        continue;
      }
      for (std::string_view name : namesInStatement(js, rightSide)) {
        if (name != symbol && isFunctionExport(name) &&
            std::find(exports.begin(), exports.end(), name) == exports.end()) {
          exports.emplace_back(name);
        }
      }
    }
    if (exports.size() == 1) {
      reading.bindings.push_back({symbol, exports[0], symbol.substr(1), "--emscripten-glue"});
    } else if (exports.size() > 1) {
      reading.ambiguous.push_back(symbol);
    }
  }
  return reading;
}

} // namespace viewsan
