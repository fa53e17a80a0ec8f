// Finds the module's allocator entry points: the functions whose export name or name-section
// name is in the known-allocator table or was named by --alloc, --free or --realloc.

#pragma once

#include "allocator-families.h"
#include "module-context.h"

#include <optional>
#include <string>
#include <vector>

namespace viewsan {

struct Allocator {
  uint32_t index;     // function index in the input module
  AllocatorSpec spec; // role and argument positions
  // How it was found, e.g. `export "malloc"` and `name "dlmalloc"`: one function can have many
  // names and is still one allocator.
  std::vector<std::string> foundBy;
  bool requested = false; // named by a flag
};

// A function with an allocator's name that cannot be hooked, and why.
struct UnhookedAllocator {
  uint32_t index;
  std::string reason;
};

struct AllocatorDiscovery {
  std::vector<Allocator> hooked; // by function index
  std::vector<UnhookedAllocator> unhooked;
  // Set when an allocator named by a flag is missing or cannot be hooked.
  std::optional<std::string> error;
};

// `requested` are the allocators named by flags; they take precedence over the table.
AllocatorDiscovery discoverAllocators(const ModuleContext& context,
                                      const std::vector<AllocatorSpec>& requested);

} // namespace viewsan
