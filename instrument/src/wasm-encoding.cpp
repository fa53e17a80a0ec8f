#include "wasm-encoding.h"

#include <cstdio>

namespace viewsan {

namespace {

std::string hex(uint8_t byte) {
  char text[8];
  snprintf(text, sizeof(text), "0x%02x", byte);
  return text;
}

} // namespace

bool ByteReader::fail(size_t at, std::string message) {
  error_ = std::move(message);
  errorOffset_ = at;
  return false;
}

bool ByteReader::readByte(uint8_t& out, const char* what) {
  if (atEnd()) {
    return fail(offset(), std::string("unexpected end of file reading ") + what);
  }
  out = static_cast<uint8_t>(data_[pos_++]);
  return true;
}

bool ByteReader::readLeb(uint64_t& out, unsigned maxBits, bool isSigned, const char* what) {
  size_t start = offset();
  uint64_t value = 0;
  unsigned shift = 0;
  uint8_t byte;
  do {
    if (shift >= maxBits) {
      return fail(start, std::string("LEB128 too long reading ") + what);
    }
    if (!readByte(byte, what)) {
      return false;
    }
    value |= uint64_t(byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  // The last byte may only carry bits that fit; for signed values the unused bits must repeat
  // the sign bit.
  if (shift > maxBits) {
    unsigned usedBits = maxBits - (shift - 7);
    uint8_t unused = uint8_t(byte & 0x7f) >> usedBits;
    bool negative = isSigned && (byte & (1u << (usedBits - 1)));
    uint8_t expected = negative ? uint8_t(0x7f >> usedBits) : 0;
    if (unused != expected) {
      return fail(start, std::string("LEB128 out of range reading ") + what);
    }
  }
  if (isSigned && shift < 64 && (byte & 0x40)) {
    value |= ~uint64_t(0) << shift;
  }
  out = value;
  return true;
}

bool ByteReader::readU32(uint32_t& out, const char* what) {
  uint64_t value;
  if (!readLeb(value, 32, false, what)) {
    return false;
  }
  out = uint32_t(value);
  return true;
}

bool ByteReader::readU64(uint64_t& out, const char* what) {
  return readLeb(out, 64, false, what);
}

bool ByteReader::readS32(int32_t& out, const char* what) {
  uint64_t value;
  if (!readLeb(value, 32, true, what)) {
    return false;
  }
  out = int32_t(uint32_t(value));
  return true;
}

bool ByteReader::readS33(int64_t& out, const char* what) {
  uint64_t value;
  if (!readLeb(value, 33, true, what)) {
    return false;
  }
  out = int64_t(value);
  return true;
}

bool ByteReader::readBytes(size_t count, std::string_view& out, const char* what) {
  if (count > remaining()) {
    return fail(offset(), std::string(what) + " extends past the end of its section");
  }
  out = data_.substr(pos_, count);
  pos_ += count;
  return true;
}

bool ByteReader::readName(std::string_view& out, const char* what) {
  uint32_t length;
  return readU32(length, what) && readBytes(length, out, what);
}

bool ByteReader::skip(size_t count, const char* what) {
  std::string_view ignored;
  return readBytes(count, ignored, what);
}

bool ByteReader::readLimits(bool& is64) {
  constexpr uint8_t kHasMaximum = 0x01, kShared = 0x02, kMemory64 = 0x04;
  size_t flagsOffset = offset();
  uint8_t flags;
  if (!readByte(flags, "limits flags")) {
    return false;
  }
  if (flags & ~(kHasMaximum | kShared | kMemory64)) {
    return fail(flagsOffset, "invalid limits flags: " + hex(flags));
  }
  is64 = flags & kMemory64;
  for (int i = 0; i < (flags & kHasMaximum ? 2 : 1); ++i) {
    uint64_t value64;
    uint32_t value32;
    if (!(is64 ? readU64(value64, "limits") : readU32(value32, "limits"))) {
      return false;
    }
  }
  return true;
}

bool ByteReader::skipValueType() {
  size_t typeOffset = offset();
  uint8_t type;
  if (!readByte(type, "value type")) {
    return false;
  }
  // The encodings Binaryen 132 reads (wasm-binary.h, EncodedType): numeric types, the one-byte
  // reference types (stringref 0x67 to nullcontref 0x75, GC's and exception handling's among
  // them), and (ref ht) / (ref null ht) with a heap type that may be marked shared or exact.
  if ((type >= 0x7b && type <= 0x7f) || (type >= 0x67 && type <= 0x75)) {
    return true;
  }
  switch (type) {
    case 0x64:   // (ref heaptype)
    case 0x63: { // (ref null heaptype)
      constexpr int64_t kShared = -0x1b, kExact = -0x1e;
      int64_t heapType;
      if (!readS33(heapType, "heap type")) {
        return false;
      }
      if (heapType == kShared || heapType == kExact) {
        return readS33(heapType, "heap type");
      }
      return true;
    }
    default:
      return fail(typeOffset, "unsupported value type: " + hex(type));
  }
}

void appendU32Leb(std::string& out, uint32_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(char(value ? byte | 0x80 : byte));
  } while (value);
}

size_t s32LebSize(int32_t value) {
  size_t size = 1;
  // Each byte holds 7 bits; the last one must also hold the sign, so it covers [-64, 64).
  while (value < -64 || value >= 64) {
    value >>= 7;
    ++size;
  }
  return size;
}

void appendCustomSection(std::string& binary, std::string_view name, std::string_view payload) {
  std::string content;
  appendU32Leb(content, uint32_t(name.size()));
  content.append(name);
  content.append(payload);
  binary.push_back(0); // custom section id
  appendU32Leb(binary, uint32_t(content.size()));
  binary.append(content);
}

} // namespace viewsan
