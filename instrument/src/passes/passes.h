// The instrumentation passes. They share one ModuleContext and one SiteTable. Each pass first
// adds what it needs to the module, then rewrites the expressions it is about during one walk
// over the code of every defined function (rewriteCode), wherever that code lives by then
// (ModuleContext::codeOf): one walk, however many passes, as the walk is most of their cost.

#pragma once

#include "allocator-discovery.h"
#include "call-graph.h"
#include "expression-walker.h"
#include "module-context.h"
#include "site-table.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace viewsan {

// Wraps each allocator so that every way into it reports to the hooks exactly once
// (instrument-allocators.cpp).
class AllocatorHooks {
public:
  // Wraps the allocators: their export sites come first in the site table.
  AllocatorHooks(ModuleContext& context, const std::vector<Allocator>& allocators, SiteTable& sites);

  // Sends a direct call to an allocator to its hooked wrapper, with a site of its own. Returns
  // whether `call` was such a call.
  bool rewriteCall(BinaryenExpressionRef call, uint32_t caller);

  // The number of direct calls rewritten, by allocator function index.
  const std::map<uint32_t, uint32_t>& directCalls() const { return directCalls_; }

private:
  struct Wrapped {
    uint32_t allocator;
    std::string hooked;
  };
  ModuleContext& context_;
  SiteTable& sites_;
  std::unordered_map<std::string, Wrapped> wrappedByName_;
  std::map<uint32_t, uint32_t> directCalls_;
};

// Reports every memory.grow instruction to the hooks (instrument-memory-grow.cpp).
class MemoryGrowHooks {
public:
  MemoryGrowHooks(ModuleContext& context, SiteTable& sites) : context_(context), sites_(sites) {}

  // The call that replaces `grow`, found in function `function`.
  BinaryenExpressionRef rewriteGrow(BinaryenExpressionRef grow, uint32_t function);

  uint32_t count() const { return count_; }

private:
  ModuleContext& context_;
  SiteTable& sites_;
  std::string helper_; // added at the first memory.grow
  uint32_t count_ = 0;
};

// What the walk saw that decides which features the module is written with.
struct CodeUse {
  bool refFunc = false; // a ref.func: its function needs declaring (reference types)
  bool gc = false;      // a GC instruction
};

// Walks the code of every defined function once, giving each direct call to `allocators` and
// each memory.grow to `grows`, and marks the functions it changes. `graph` learns the calls,
// growths and function references as the input had them.
CodeUse rewriteCode(ModuleContext& context,
                    AllocatorHooks& allocators,
                    MemoryGrowHooks& grows,
                    CallGraph& graph);

} // namespace viewsan
