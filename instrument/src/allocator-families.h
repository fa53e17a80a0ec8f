// The allocator entry points viewsan recognises by name, and where their arguments are.
//
// One table drives both discovery and the --help text. A name matches an export name or a
// name-section name; --alloc, --free and --realloc add entries in the same form.

#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace viewsan {

enum class AllocRole { Alloc, Free, Realloc };

const char* roleName(AllocRole role);

// 0-based argument positions; -1 when unused. An allocation's size is args[size], or
// args[count] * args[size] when count is set, as for calloc. An allocator with an `out`
// position stores the new pointer at args[out] and returns 0 on success, as posix_memalign does.
struct ArgPositions {
  int ptr = -1;
  int size = -1;
  int count = -1;
  int out = -1;
};

struct AllocatorSpec {
  std::string name;
  AllocRole role = AllocRole::Alloc;
  ArgPositions args;
};

struct KnownAllocator {
  const char* family;
  const char* name;
  // For C++, the demangled name, which is what wasm-ld writes in the name section by default.
  const char* demangled;
  AllocRole role;
  ArgPositions args;
};

const std::vector<KnownAllocator>& knownAllocators();

// alloc: size=0; free: ptr=0; realloc: ptr=0,size=1.
ArgPositions defaultPositions(AllocRole role);

// The positions `args` sets, as (key, index) in the order they are shown: ptr, out, count, size.
std::vector<std::pair<const char*, int>> setPositions(const ArgPositions& args);

// "size=0", "count=0,size=1", "ptr=0,size=3": the form --alloc, --free and --realloc accept.
std::string formatPositions(const ArgPositions& args);

// Parses the value of --alloc, --free or --realloc: NAME, or NAME:key=N[,key=N]... with the keys
// the role takes (alloc: size, count, out; free: ptr; realloc: ptr, size). Positions not given keep
// their default. A NAME may contain ':' ("ns::alloc") as long as what follows the last one has no
// '='. Returns an error message on failure.
std::optional<std::string>
parseAllocatorFlag(AllocRole role, std::string_view value, AllocatorSpec& out);

// The table as --help shows it: one line per family and role, wrapped to `width` columns.
std::string knownAllocatorsHelp(size_t width);

} // namespace viewsan
