// Reading and writing the few pieces of the wasm binary encoding viewsan handles itself:
// LEB128 integers, length-prefixed names and custom sections.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace viewsan {

// Reads a byte buffer front to back and never past its end. On failure a read returns false and
// leaves error() describing what could not be read, at errorOffset().
class ByteReader {
public:
  // `base` is the offset of data[0] in the whole file, so that offsets are file offsets.
  ByteReader(std::string_view data, size_t base = 0) : data_(data), base_(base) {}

  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool atEnd() const { return pos_ == data_.size(); }

  bool readByte(uint8_t& out, const char* what);
  bool readU32(uint32_t& out, const char* what);
  bool readU64(uint64_t& out, const char* what);
  bool readS32(int32_t& out, const char* what);
  // The signed 33-bit form of heap types and block types.
  bool readS33(int64_t& out, const char* what);
  bool readBytes(size_t count, std::string_view& out, const char* what);
  // A vector of bytes preceded by its u32 length, as names are encoded.
  bool readName(std::string_view& out, const char* what);
  bool skip(size_t count, const char* what);
  // The limits of a table or memory; is64 tells whether they are those of a memory64.
  bool readLimits(bool& is64);
  // A value type, including the reference types of the GC encoding Binaryen 132 reads.
  bool skipValueType();

  const std::string& error() const { return error_; }
  size_t errorOffset() const { return errorOffset_; }

private:
  bool readLeb(uint64_t& out, unsigned maxBits, bool isSigned, const char* what);
  bool fail(size_t at, std::string message);

  std::string_view data_;
  size_t base_;
  size_t pos_ = 0;
  std::string error_;
  size_t errorOffset_ = 0;
};

void appendU32Leb(std::string& out, uint32_t value);
// The encoded size of `value` as a signed LEB128, as in the immediate of `i32.const`.
size_t s32LebSize(int32_t value);
// Appends a custom section with the given name and payload to a module binary.
void appendCustomSection(std::string& binary, std::string_view name, std::string_view payload);

} // namespace viewsan
