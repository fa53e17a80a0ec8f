#include "wasm-bindgen-glue.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

namespace viewsan {

namespace {

constexpr size_t kMaxCall = 1024; // a call's arguments are short; longer means lost

bool isIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

bool isIdentifier(std::string_view text) {
  return !text.empty() && !std::isdigit(static_cast<unsigned char>(text[0])) &&
         std::all_of(text.begin(), text.end(), isIdentifierChar);
}

bool isNumber(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// The top-level arguments of the call whose `(` is at `open`; empty when the call does not close
// within kMaxCall characters or holds a string (whose brackets would mislead the count).
std::vector<std::string_view> argumentsAt(std::string_view js, size_t open) {
  std::vector<std::string_view> args;
  int depth = 0;
  size_t start = open + 1;
  size_t limit = std::min(js.size(), open + kMaxCall);
  for (size_t i = open + 1; i < limit; ++i) {
    char c = js[i];
    if (c == '"' || c == '\'' || c == '`') {
      return {};
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ')') {
      args.push_back(trim(js.substr(start, i - start)));
      return args;
    } else if (c == ',' && depth == 0) {
      args.push_back(trim(js.substr(start, i - start)));
      start = i + 1;
    }
  }
  return {};
}

// `wasm.NAME` -> NAME.
std::string_view exportRead(std::string_view arg) {
  constexpr std::string_view prefix = "wasm.";
  if (arg.substr(0, prefix.size()) != prefix || !isIdentifier(arg.substr(prefix.size()))) {
    return {};
  }
  return arg.substr(prefix.size());
}

// (pointer, length * K, K) or (pointer, length, K): what the glue passes to free.
bool isFreeTriple(const std::vector<std::string_view>& args) {
  if (args.size() != 3 || !isIdentifier(args[0]) || !isNumber(args[2])) {
    return false;
  }
  std::string_view length = args[1];
  size_t star = length.find('*');
  if (star == std::string_view::npos) {
    return isIdentifier(length);
  }
  return isIdentifier(trim(length.substr(0, star))) && trim(length.substr(star + 1)) == args[2];
}

class Roles {
 public:
  void add(const char* role, std::string_view exportName) {
    std::vector<std::string>& names = found_[role];
    if (std::find(names.begin(), names.end(), exportName) == names.end()) {
      names.emplace_back(exportName);
    }
  }

  GlueReading reading() const {
    GlueReading reading;
    for (const char* role : {"__wbindgen_malloc", "__wbindgen_realloc", "__wbindgen_free"}) {
      auto it = found_.find(role);
      if (it == found_.end()) {
        continue;
      }
      if (it->second.size() == 1) {
        reading.bindings.push_back({role, it->second[0], role, "--wasm-bindgen-glue"});
      } else {
        reading.ambiguous.push_back(role);
      }
    }
    return reading;
  }

 private:
  std::map<std::string, std::vector<std::string>> found_;
};

} // namespace

GlueReading readWasmBindgenGlue(std::string_view js,
                                const std::function<bool(std::string_view)>& isFunctionExport) {
  Roles roles;
  auto bound = [&](std::string_view arg) {
    std::string_view name = exportRead(arg);
    return !name.empty() && isFunctionExport(name) ? name : std::string_view();
  };
  // pass*ToWasm0(value, wasm.MALLOC[, wasm.REALLOC])
  constexpr std::string_view helperEnd = "ToWasm0(";
  for (size_t at = js.find(helperEnd); at != std::string_view::npos;
       at = js.find(helperEnd, at + 1)) {
    size_t nameStart = at;
    while (nameStart > 0 && isIdentifierChar(js[nameStart - 1])) {
      --nameStart;
    }
    if (js.substr(nameStart, 4) != "pass") {
      continue;
    }
    std::vector<std::string_view> args = argumentsAt(js, at + helperEnd.size() - 1);
    if (args.size() >= 2 && !bound(args[1]).empty()) {
      roles.add("__wbindgen_malloc", bound(args[1]));
    }
    if (args.size() >= 3 && js.substr(nameStart, at - nameStart) == "passString" &&
        !bound(args[2]).empty()) {
      roles.add("__wbindgen_realloc", bound(args[2]));
    }
  }
  // wasm.FREE(pointer, length * K, K)
  constexpr std::string_view call = "wasm.";
  for (size_t at = js.find(call); at != std::string_view::npos; at = js.find(call, at + 1)) {
    if (at > 0 && (isIdentifierChar(js[at - 1]) || js[at - 1] == '.')) {
      continue; // part of a longer name: `module.wasm.x`, `towasm.x`
    }
    size_t nameEnd = at + call.size();
    while (nameEnd < js.size() && isIdentifierChar(js[nameEnd])) {
      ++nameEnd;
    }
    std::string_view name = js.substr(at + call.size(), nameEnd - at - call.size());
    if (nameEnd >= js.size() || js[nameEnd] != '(' || !isFunctionExport(name)) {
      continue;
    }
    if (isFreeTriple(argumentsAt(js, nameEnd))) {
      roles.add("__wbindgen_free", name);
    }
  }
  return roles.reading();
}

} // namespace viewsan
