// Whether every path into the module's allocator reaches a hook (contract 1's coverage
// "complete"), and if not, why not.
//
// `complete` lets the runtime call a free of a pointer no allocation returned an invalid-free, and
// a second free a double-free, so it is promised only when verified:
//   - the module has a name section (without names, an entry point of the allocator may have none
//     the table could match), an allocating and a freeing function are hooked, and no function
//     with an allocator's name was left unhooked;
//   - if the module's own code calls a hooked allocating function, it calls a hooked freeing one
//     too (a free hooked only at an export that JavaScript calls leaves its frees unseen);
//   - no function of the allocator's implementation is reachable from an entry point of the
//     module along direct calls without passing through a hooked function. Entry points are the
//     exports, the start function, every function an element segment holds and every function
//     code takes a reference to (so `call_indirect` and `call_ref` reach only entry points). The
//     implementation is every function with an allocator's name (the table of
//     allocator-families.h, Rust's mangled ones included: rust-symbols.h), `sbrk`, and every
//     function that executes memory.grow: the allocator's source of memory, which code that
//     allocates out of the hooks' sight also reaches.

#pragma once

#include "allocator-discovery.h"
#include "code-facts.h"
#include "module-context.h"
#include "site-table.h"

#include <string>

namespace viewsan {

struct CoverageJudgement {
  Coverage coverage = Coverage::Partial;
  std::string reason; // why it is partial, for the listing; empty when complete
};

CoverageJudgement judgeCoverage(const ModuleContext& context,
                                const AllocatorDiscovery& allocators,
                                const CallGraph& graph);

} // namespace viewsan
