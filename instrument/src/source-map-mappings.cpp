#include "source-map-mappings.h"

#include <cstring>

namespace viewsan {

namespace {

constexpr char kBase64Digits[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

} // namespace

bool readVlq(std::string_view& in, int64_t& out) {
  uint64_t value = 0;
  unsigned shift = 0;
  while (!in.empty() && shift < 64) {
    const char* digit = std::strchr(kBase64Digits, in.front());
    if (!digit || !*digit) {
      return false;
    }
    in.remove_prefix(1);
    uint64_t bits = uint64_t(digit - kBase64Digits);
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

void writeVlq(std::string& out, int64_t value) {
  uint64_t bits = value < 0 ? (uint64_t(-value) << 1) | 1 : uint64_t(value) << 1;
  do {
    uint64_t digit = bits & 31;
    bits >>= 5;
    out += kBase64Digits[digit | (bits ? 32 : 0)];
  } while (bits);
}

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

} // namespace viewsan
