#include "rust-symbols.h"

#include <cctype>

namespace viewsan {

namespace {

// Reads the v0 grammar's pieces from the front of a symbol.
class V0Reader {
public:
  explicit V0Reader(std::string_view text) : text_(text) {}

  bool atEnd() const { return text_.empty(); }
  bool take(char c) {
    if (text_.empty() || text_.front() != c) {
      return false;
    }
    text_.remove_prefix(1);
    return true;
  }
  void skipDigits() {
    while (!text_.empty() && std::isdigit(static_cast<unsigned char>(text_.front()))) {
      text_.remove_prefix(1);
    }
  }
  // <disambiguator> = "s" <base-62-number>, the number being [0-9a-zA-Z]* "_".
  bool skipDisambiguator() {
    if (!take('s')) {
      return true;
    }
    while (!text_.empty() && std::isalnum(static_cast<unsigned char>(text_.front()))) {
      text_.remove_prefix(1);
    }
    return take('_');
  }
  // <undisambiguated-identifier> = <decimal-number> ["_"] <bytes>, without Punycode ("u").
  std::optional<std::string_view> identifier() {
    if (!skipDisambiguator() || text_.empty() || text_.front() == 'u') {
      return std::nullopt;
    }
    size_t length = 0, digits = 0;
    while (digits < text_.size() && std::isdigit(static_cast<unsigned char>(text_[digits]))) {
      length = length * 10 + size_t(text_[digits] - '0');
      if (++digits > 6) {
        return std::nullopt;
      }
    }
    if (digits == 0 || (length == 0 && digits > 1) || (text_[0] == '0' && digits > 1)) {
      return std::nullopt;
    }
    text_.remove_prefix(digits);
    take('_'); // separates the length from bytes that start with a digit or "_"
    if (text_.size() < length) {
      return std::nullopt;
    }
    std::string_view bytes = text_.substr(0, length);
    text_.remove_prefix(length);
    return bytes;
  }

private:
  std::string_view text_;
};

} // namespace

std::optional<std::string> rustcItemName(std::string_view symbol) {
  // LLVM may add a suffix after a dot (".llvm.123"); it is not part of the mangling.
  symbol = symbol.substr(0, symbol.find('.'));
  V0Reader reader(symbol);
  if (!reader.take('_') || !reader.take('R')) {
    return std::nullopt;
  }
  reader.skipDigits(); // the encoding version, absent today
  // A value ("v") nested in the root of a crate ("C").
  if (!reader.take('N') || !reader.take('v') || !reader.take('C')) {
    return std::nullopt;
  }
  std::optional<std::string_view> crate = reader.identifier();
  if (!crate || *crate != "__rustc") {
    return std::nullopt;
  }
  std::optional<std::string_view> item = reader.identifier();
  if (!item || item->empty() || !reader.atEnd()) {
    return std::nullopt;
  }
  return std::string(*item);
}

} // namespace viewsan
