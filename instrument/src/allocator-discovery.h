// Finds the module's allocator entry points: the functions whose export name or name-section
// name is in the known-allocator table or was named by --alloc, --free or --realloc, and the
// exports a JS glue file binds to the table's allocators (glue-binding.h).

#pragma once

#include "allocator-families.h"
#include "glue-binding.h"
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
  // Set for a function found by following a wrapper (allocator-wrappers.h): the wrapper's index.
  std::optional<uint32_t> wrapper;
  // The hooked allocators this function only forwards to, which report for it; empty when it
  // reports itself.
  std::vector<uint32_t> forwardsTo;
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

// `requested` are the allocators named by flags; they take precedence over `glue`, the exports
// a glue file binds, which take precedence over the table. A flag or a glue binding that names
// no function, or a function that cannot be hooked, is an error.
AllocatorDiscovery discoverAllocators(const ModuleContext& context,
                                      const std::vector<AllocatorSpec>& requested,
                                      const std::vector<GlueBinding>& glue = {});

// Why function `index` cannot be hooked as `spec` says, if it cannot: its parameters at the
// spec's positions must be addresses, and an allocating function must return one.
std::optional<std::string>
allocatorSignatureProblem(const ModuleContext& context, uint32_t index, const AllocatorSpec& spec);

} // namespace viewsan
