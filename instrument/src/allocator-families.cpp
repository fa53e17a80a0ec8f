#include "allocator-families.h"

#include <cstdlib>

namespace viewsan {

namespace {

constexpr ArgPositions sizeAt(int size) {
  return {-1, size, -1, -1};
}
constexpr ArgPositions ptrAt(int ptr) {
  return {ptr, -1, -1, -1};
}
constexpr ArgPositions ptrAndSize(int ptr, int size) {
  return {ptr, size, -1, -1};
}
constexpr ArgPositions countAndSize(int count, int size) {
  return {-1, size, count, -1};
}
constexpr ArgPositions outAndSize(int out, int size) {
  return {-1, size, -1, out};
}

constexpr AllocRole Alloc = AllocRole::Alloc;
constexpr AllocRole Free = AllocRole::Free;
constexpr AllocRole Realloc = AllocRole::Realloc;

// Entry points of the allocators real toolchains link into wasm. C++ names are the Itanium
// manglings, which are the same for wasm32 and wasm64 since size_t is unsigned long on both, and
// their demangled spellings as LLVM writes them.
// clang-format off
const std::vector<KnownAllocator> kKnownAllocators = {
  {"C", "malloc", nullptr, Alloc, sizeAt(0)},
  {"C", "calloc", nullptr, Alloc, countAndSize(0, 1)},
  {"C", "aligned_alloc", nullptr, Alloc, sizeAt(1)},
  {"C", "memalign", nullptr, Alloc, sizeAt(1)},
  {"C", "posix_memalign", nullptr, Alloc, outAndSize(0, 2)},
  {"C", "valloc", nullptr, Alloc, sizeAt(0)},
  {"C", "pvalloc", nullptr, Alloc, sizeAt(0)},
  {"C", "realloc", nullptr, Realloc, ptrAndSize(0, 1)},
  {"C", "free", nullptr, Free, ptrAt(0)},

  {"dlmalloc", "dlmalloc", nullptr, Alloc, sizeAt(0)},
  {"dlmalloc", "dlcalloc", nullptr, Alloc, countAndSize(0, 1)},
  {"dlmalloc", "dlmemalign", nullptr, Alloc, sizeAt(1)},
  {"dlmalloc", "dlposix_memalign", nullptr, Alloc, outAndSize(0, 2)},
  {"dlmalloc", "dlvalloc", nullptr, Alloc, sizeAt(0)},
  {"dlmalloc", "dlpvalloc", nullptr, Alloc, sizeAt(0)},
  {"dlmalloc", "dlrealloc", nullptr, Realloc, ptrAndSize(0, 1)},
  {"dlmalloc", "dlfree", nullptr, Free, ptrAt(0)},
  // Returns `ptr` when it could resize in place, else null (and the block is left alone).
  {"dlmalloc", "dlrealloc_in_place", nullptr, Realloc, ptrAndSize(0, 1)},

  // Emscripten's -sMALLOC=emmalloc.
  {"emmalloc", "emmalloc_malloc", nullptr, Alloc, sizeAt(0)},
  {"emmalloc", "emmalloc_calloc", nullptr, Alloc, countAndSize(0, 1)},
  {"emmalloc", "emmalloc_memalign", nullptr, Alloc, sizeAt(1)},
  {"emmalloc", "emmalloc_posix_memalign", nullptr, Alloc, outAndSize(0, 2)},
  {"emmalloc", "emmalloc_realloc", nullptr, Realloc, ptrAndSize(0, 1)},
  {"emmalloc", "emmalloc_realloc_uninitialized", nullptr, Realloc, ptrAndSize(0, 1)},
  {"emmalloc", "emmalloc_realloc_try", nullptr, Realloc, ptrAndSize(0, 1)},
  {"emmalloc", "emmalloc_aligned_realloc", nullptr, Realloc, ptrAndSize(0, 2)},
  {"emmalloc", "emmalloc_free", nullptr, Free, ptrAt(0)},

  // mimalloc (Emscripten's -sMALLOC=mimalloc, wasi builds); the aligned forms take the size
  // first.
  {"mimalloc", "mi_malloc", nullptr, Alloc, sizeAt(0)},
  {"mimalloc", "mi_zalloc", nullptr, Alloc, sizeAt(0)},
  {"mimalloc", "mi_calloc", nullptr, Alloc, countAndSize(0, 1)},
  {"mimalloc", "mi_malloc_aligned", nullptr, Alloc, sizeAt(0)},
  {"mimalloc", "mi_zalloc_aligned", nullptr, Alloc, sizeAt(0)},
  {"mimalloc", "mi_realloc", nullptr, Realloc, ptrAndSize(0, 1)},
  {"mimalloc", "mi_realloc_aligned", nullptr, Realloc, ptrAndSize(0, 1)},
  {"mimalloc", "mi_free", nullptr, Free, ptrAt(0)},

  // Emscripten's aliases of its malloc's entry points (one function, so the name section may show
  // only this name). Releases newer than Debian's 3.1.6 alias calloc and realloc too: mupdf's
  // module has no other name for realloc, and left unhooked its resizes in place go unseen.
  {"Emscripten", "emscripten_builtin_malloc", nullptr, Alloc, sizeAt(0)},
  {"Emscripten", "emscripten_builtin_calloc", nullptr, Alloc, countAndSize(0, 1)},
  {"Emscripten", "emscripten_builtin_memalign", nullptr, Alloc, sizeAt(1)},
  {"Emscripten", "emscripten_builtin_realloc", nullptr, Realloc, ptrAndSize(0, 1)},
  {"Emscripten", "emscripten_builtin_free", nullptr, Free, ptrAt(0)},
  // musl's internal names of the same entry points, which its own code calls.
  {"musl", "__libc_malloc", nullptr, Alloc, sizeAt(0)},
  {"musl", "__libc_calloc", nullptr, Alloc, countAndSize(0, 1)},
  {"musl", "__libc_realloc", nullptr, Realloc, ptrAndSize(0, 1)},
  {"musl", "__libc_free", nullptr, Free, ptrAt(0)},

  // operator new, new[], each also with nothrow_t, align_val_t, and both.
  {"C++", "_Znwm", "operator new(unsigned long)", Alloc, sizeAt(0)},
  {"C++", "_Znam", "operator new[](unsigned long)", Alloc, sizeAt(0)},
  {"C++", "_ZnwmRKSt9nothrow_t",
   "operator new(unsigned long, std::nothrow_t const&)", Alloc, sizeAt(0)},
  {"C++", "_ZnamRKSt9nothrow_t",
   "operator new[](unsigned long, std::nothrow_t const&)", Alloc, sizeAt(0)},
  {"C++", "_ZnwmSt11align_val_t",
   "operator new(unsigned long, std::align_val_t)", Alloc, sizeAt(0)},
  {"C++", "_ZnamSt11align_val_t",
   "operator new[](unsigned long, std::align_val_t)", Alloc, sizeAt(0)},
  {"C++", "_ZnwmSt11align_val_tRKSt9nothrow_t",
   "operator new(unsigned long, std::align_val_t, std::nothrow_t const&)", Alloc, sizeAt(0)},
  {"C++", "_ZnamSt11align_val_tRKSt9nothrow_t",
   "operator new[](unsigned long, std::align_val_t, std::nothrow_t const&)", Alloc, sizeAt(0)},
  // operator delete, delete[], each plain, sized, nothrow, aligned, sized aligned, aligned nothrow.
  {"C++", "_ZdlPv", "operator delete(void*)", Free, ptrAt(0)},
  {"C++", "_ZdaPv", "operator delete[](void*)", Free, ptrAt(0)},
  {"C++", "_ZdlPvm", "operator delete(void*, unsigned long)", Free, ptrAt(0)},
  {"C++", "_ZdaPvm", "operator delete[](void*, unsigned long)", Free, ptrAt(0)},
  {"C++", "_ZdlPvRKSt9nothrow_t", "operator delete(void*, std::nothrow_t const&)", Free, ptrAt(0)},
  {"C++", "_ZdaPvRKSt9nothrow_t",
   "operator delete[](void*, std::nothrow_t const&)", Free, ptrAt(0)},
  {"C++", "_ZdlPvSt11align_val_t", "operator delete(void*, std::align_val_t)", Free, ptrAt(0)},
  {"C++", "_ZdaPvSt11align_val_t", "operator delete[](void*, std::align_val_t)", Free, ptrAt(0)},
  {"C++", "_ZdlPvmSt11align_val_t",
   "operator delete(void*, unsigned long, std::align_val_t)", Free, ptrAt(0)},
  {"C++", "_ZdaPvmSt11align_val_t",
   "operator delete[](void*, unsigned long, std::align_val_t)", Free, ptrAt(0)},
  {"C++", "_ZdlPvSt11align_val_tRKSt9nothrow_t",
   "operator delete(void*, std::align_val_t, std::nothrow_t const&)", Free, ptrAt(0)},
  {"C++", "_ZdaPvSt11align_val_tRKSt9nothrow_t",
   "operator delete[](void*, std::align_val_t, std::nothrow_t const&)", Free, ptrAt(0)},

  // __rust_alloc(size, align), __rust_dealloc(ptr, size, align),
  // __rust_realloc(ptr, old_size, align, new_size).
  {"Rust", "__rust_alloc", nullptr, Alloc, sizeAt(0)},
  {"Rust", "__rust_alloc_zeroed", nullptr, Alloc, sizeAt(0)},
  {"Rust", "__rust_realloc", nullptr, Realloc, ptrAndSize(0, 3)},
  {"Rust", "__rust_dealloc", nullptr, Free, ptrAt(0)},

  // __wbindgen_malloc(size, align), __wbindgen_free(ptr, size, align),
  // __wbindgen_realloc(ptr, old_size, new_size, align); older versions omit align.
  {"wasm-bindgen", "__wbindgen_malloc", nullptr, Alloc, sizeAt(0)},
  {"wasm-bindgen", "__wbindgen_realloc", nullptr, Realloc, ptrAndSize(0, 2)},
  {"wasm-bindgen", "__wbindgen_free", nullptr, Free, ptrAt(0)},
};
// clang-format on

struct PositionKey {
  const char* key;
  int ArgPositions::*field;
};

// In the order they are shown, which is the order of the arguments of the usual allocators:
// calloc(count, size), posix_memalign(out, alignment, size).
const PositionKey kPositionKeys[] = {
  {"ptr", &ArgPositions::ptr},
  {"out", &ArgPositions::out},
  {"count", &ArgPositions::count},
  {"size", &ArgPositions::size},
};
constexpr size_t kNumPositionKeys = sizeof(kPositionKeys) / sizeof(kPositionKeys[0]);

bool roleTakes(AllocRole role, int ArgPositions::*field) {
  switch (role) {
    case AllocRole::Alloc:
      return field == &ArgPositions::size || field == &ArgPositions::count ||
             field == &ArgPositions::out;
    case AllocRole::Free:
      return field == &ArgPositions::ptr;
    case AllocRole::Realloc:
      return field == &ArgPositions::ptr || field == &ArgPositions::size;
  }
  return false;
}

std::string keysOf(AllocRole role) {
  std::string keys;
  for (const PositionKey& key : kPositionKeys) {
    if (roleTakes(role, key.field)) {
      keys += (keys.empty() ? "" : ", ") + std::string(key.key);
    }
  }
  return keys;
}

// Wasm functions have at most 1000 parameters.
constexpr int kMaxParams = 1000;

std::optional<std::string>
parsePositions(AllocRole role, std::string_view text, ArgPositions& args) {
  bool given[kNumPositionKeys] = {};
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t equals = item.find('=');
    std::string_view key = item.substr(0, equals);
    std::string value(equals == std::string_view::npos ? "" : item.substr(equals + 1));
    size_t k = 0;
    while (k < kNumPositionKeys && key != kPositionKeys[k].key) {
      ++k;
    }
    if (k == kNumPositionKeys || !roleTakes(role, kPositionKeys[k].field)) {
      return "unknown position '" + std::string(key) + "' (" + roleName(role) + " takes " +
             keysOf(role) + ")";
    }
    char* end = nullptr;
    long index = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end || index < 0 || index >= kMaxParams || value[0] == '+') {
      return "position '" + std::string(item) + "' needs an argument index from 0 to " +
             std::to_string(kMaxParams - 1);
    }
    if (given[k]) {
      return "position '" + std::string(key) + "' given twice";
    }
    given[k] = true;
    args.*kPositionKeys[k].field = int(index);
  }
  for (size_t a = 0; a < kNumPositionKeys; ++a) {
    for (size_t b = a + 1; b < kNumPositionKeys; ++b) {
      int first = args.*kPositionKeys[a].field, second = args.*kPositionKeys[b].field;
      if (first >= 0 && first == second) {
        return std::string(kPositionKeys[a].key) + " and " + kPositionKeys[b].key +
               " must be different arguments";
      }
    }
  }
  return std::nullopt;
}

} // namespace

const char* roleName(AllocRole role) {
  switch (role) {
    case AllocRole::Alloc:
      return "alloc";
    case AllocRole::Free:
      return "free";
    case AllocRole::Realloc:
      return "realloc";
  }
  return "?";
}

const std::vector<KnownAllocator>& knownAllocators() {
  return kKnownAllocators;
}

ArgPositions defaultPositions(AllocRole role) {
  switch (role) {
    case AllocRole::Alloc:
      return sizeAt(0);
    case AllocRole::Free:
      return ptrAt(0);
    case AllocRole::Realloc:
      return ptrAndSize(0, 1);
  }
  return {};
}

std::vector<std::pair<const char*, int>> setPositions(const ArgPositions& args) {
  std::vector<std::pair<const char*, int>> set;
  for (const PositionKey& key : kPositionKeys) {
    if (args.*key.field >= 0) {
      set.emplace_back(key.key, args.*key.field);
    }
  }
  return set;
}

std::string formatPositions(const ArgPositions& args) {
  std::string text;
  for (const auto& [key, index] : setPositions(args)) {
    text += (text.empty() ? "" : ",") + std::string(key) + "=" + std::to_string(index);
  }
  return text;
}

std::optional<std::string>
parseAllocatorFlag(AllocRole role, std::string_view value, AllocatorSpec& out) {
  // Positions follow the last ':', if what follows it has a '='; names may hold "::".
  size_t colon = value.rfind(':');
  if (colon != std::string_view::npos && value.find('=', colon) == std::string_view::npos) {
    colon = std::string_view::npos;
  }
  std::string_view name = value.substr(0, colon);
  if (name.empty()) {
    return std::string("missing function name");
  }
  out.name = std::string(name);
  out.role = role;
  out.args = defaultPositions(role);
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  return parsePositions(role, value.substr(colon + 1), out.args);
}

std::string knownAllocatorsHelp(size_t width) {
  const size_t familyColumn = 2, roleColumn = 16, nameColumn = 24;
  std::string text, line;
  auto flush = [&] {
    if (!line.empty()) {
      text += line + "\n";
      line.clear();
    }
  };
  auto pad = [&](size_t column) { line.resize(std::max(line.size() + 1, column), ' '); };
  // Group by family (in table order), then by role.
  std::vector<std::string> families;
  for (const KnownAllocator& known : kKnownAllocators) {
    if (families.empty() || families.back() != known.family) {
      families.push_back(known.family);
    }
  }
  for (const std::string& name : families) {
    bool firstRole = true;
    for (AllocRole role : {AllocRole::Alloc, AllocRole::Realloc, AllocRole::Free}) {
      bool roleShown = false;
      for (const KnownAllocator& known : kKnownAllocators) {
        if (known.family != name || known.role != role) {
          continue;
        }
        std::string entry = known.name;
        std::string positions = formatPositions(known.args);
        if (positions != formatPositions(defaultPositions(role))) {
          entry += ":" + positions;
        }
        if (!roleShown) {
          flush();
          line.assign(familyColumn, ' ');
          if (firstRole) {
            line += name;
          }
          pad(roleColumn);
          line += roleName(role);
          pad(nameColumn);
          roleShown = true;
          firstRole = false;
        } else if (line.size() + 1 + entry.size() > width) {
          flush();
          line.assign(nameColumn, ' ');
        } else {
          line += ' ';
        }
        line += entry;
      }
    }
  }
  flush();
  return text;
}

} // namespace viewsan
