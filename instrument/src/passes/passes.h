// The instrumentation passes: one wasm::Pass per hook family, created by the factories below and
// listed, with their descriptions, in one table (pass-registry.h).
//
// They share what one instrumentation knows (Instrumentation): the module's context, the site
// table and the allocators to hook. Sites are numbered in the order the passes add them, each
// pass walking the code of the input's functions in their input order (InputCodeWalker), so the
// same module always gets the same ids.

#pragma once

#include "allocator-discovery.h"
#include "module-context.h"
#include "site-table.h"

#include <pass.h>
#include <wasm-traversal.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace viewsan {

struct Instrumentation {
  ModuleContext& context;
  SiteTable& sites;
  const std::vector<Allocator>& allocators; // to hook, by function index
  // What the passes did, for the listing.
  std::map<uint32_t, uint32_t> directCalls; // direct calls rewritten, by allocator index
  uint32_t memoryGrows = 0;
};

std::unique_ptr<wasm::Pass> createInstrumentAllocatorsPass(Instrumentation& instrumentation);
std::unique_ptr<wasm::Pass> createInstrumentMemoryGrowPass(Instrumentation& instrumentation);

// A pass that walks the code of every function defined in the input, wherever that code lives by
// then (ModuleContext::codeOf: an earlier pass may have moved it), in input order, and nothing
// else: not the functions the passes add, whose code must stay as written. The walk is not
// function-parallel, since site ids follow its order.
template<typename SubType>
struct InputCodeWalker : public wasm::WalkerPass<wasm::PostWalker<SubType>> {
  explicit InputCodeWalker(Instrumentation& instrumentation) : instrumentation(instrumentation) {}

  // The passes add no locals, and a function's non-nullable ones are valid as read.
  bool requiresNonNullableLocalFixups() override { return false; }

  void run(wasm::Module* module) override {
    ModuleContext& context = instrumentation.context;
    static_cast<SubType*>(this)->beforeWalk();
    for (uint32_t index = context.numImportedFunctions(); index < context.numFunctions();
         ++index) {
      inputIndex = index;
      this->walkFunctionInModule(context.codeOf(index), module);
    }
  }

  // Runs before the walk: a pass adds here what its rewrites need.
  void beforeWalk() {}

  Instrumentation& instrumentation;
  uint32_t inputIndex = 0; // the input function whose code is walked
};

} // namespace viewsan
