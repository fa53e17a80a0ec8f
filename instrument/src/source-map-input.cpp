#include "source-map-input.h"

#include <cstdlib>
#include <string_view>

namespace viewsan {

namespace {

// Walks the top-level object of a JSON text, without unescaping: enough to find two members.
class TopLevelScanner {
public:
  explicit TopLevelScanner(std::string& text) : text_(text) {}

  // Calls `member(key, valueStart)` for each member of the top-level object, before skipping its
  // value; `member` may rewrite the value in place and return where it now ends, or npos to
  // leave it to the scanner. False when the text is not a JSON object.
  template<typename Member> bool forEachMember(Member member) {
    skipSpace();
    if (!take('{')) {
      return false;
    }
    skipSpace();
    if (take('}')) {
      return true;
    }
    for (;;) {
      skipSpace();
      size_t keyStart = pos_;
      if (!skipString()) {
        return false;
      }
      std::string key = text_.substr(keyStart + 1, pos_ - keyStart - 2);
      skipSpace();
      if (!take(':')) {
        return false;
      }
      skipSpace();
      const size_t valueStart = pos_;
      size_t end = member(key, valueStart);
      if (end != std::string::npos) {
        pos_ = end;
      } else {
        pos_ = valueStart;
        if (!skipValue()) {
          return false;
        }
      }
      skipSpace();
      if (take('}')) {
        return true;
      }
      if (!take(',')) {
        return false;
      }
    }
  }

  // Replaces each `null` of the array at `start` with "", returning where the array ends now, or
  // npos when it is no array.
  size_t emptyNullsInArray(size_t start, size_t& replaced) {
    pos_ = start;
    if (!take('[')) {
      return std::string::npos;
    }
    skipSpace();
    if (take(']')) {
      return pos_;
    }
    for (;;) {
      skipSpace();
      if (text_.compare(pos_, 4, "null") == 0) {
        text_.replace(pos_, 4, "\"\"");
        pos_ += 2;
        ++replaced;
      } else if (!skipValue()) {
        return std::string::npos;
      }
      skipSpace();
      if (take(']')) {
        return pos_;
      }
      if (!take(',')) {
        return std::string::npos;
      }
    }
  }

  // The number token at `start`, if there is one.
  std::optional<std::string> numberAt(size_t start) const {
    size_t end = start;
    while (end < text_.size() && std::string_view("+-0123456789.eE").find(text_[end]) !=
                                   std::string_view::npos) {
      ++end;
    }
    if (end == start) {
      return std::nullopt;
    }
    return text_.substr(start, end - start);
  }

private:
  bool take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void skipSpace() {
    while (pos_ < text_.size() && std::string_view(" \t\r\n").find(text_[pos_]) !=
                                    std::string_view::npos) {
      ++pos_;
    }
  }

  bool skipString() {
    if (!take('"')) {
      return false;
    }
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\\') {
        ++pos_;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }

  // Skips any value; nested arrays and objects by counting brackets outside strings, so that
  // nesting of any depth costs no stack.
  bool skipValue() {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      return skipString();
    }
    if (pos_ < text_.size() && (text_[pos_] == '[' || text_[pos_] == '{')) {
      size_t depth = 0;
      while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '"') {
          if (!skipString()) {
            return false;
          }
          continue;
        }
        ++pos_;
        if (c == '[' || c == '{') {
          ++depth;
        } else if ((c == ']' || c == '}') && --depth == 0) {
          return true;
        }
      }
      return false;
    }
    size_t start = pos_;
    while (pos_ < text_.size() && std::string_view(",}] \t\r\n").find(text_[pos_]) ==
                                    std::string_view::npos) {
      ++pos_;
    }
    return pos_ > start;
  }

  std::string& text_;
  size_t pos_ = 0;
};

} // namespace

InputSourceMap prepareInputSourceMap(std::string map) {
  InputSourceMap prepared;
  TopLevelScanner scanner(map);
  scanner.forEachMember([&](const std::string& key, size_t value) -> size_t {
    if (key == "sourcesContent") {
      return scanner.emptyNullsInArray(value, prepared.nullContents);
    }
    if (key == "version") {
      std::optional<std::string> number = scanner.numberAt(value);
      if (number && std::strtod(number->c_str(), nullptr) != 3) {
        prepared.error = "the source map's version is " + *number + ", not 3";
      }
    }
    return std::string::npos;
  });
  prepared.text = std::move(map);
  return prepared;
}

} // namespace viewsan
