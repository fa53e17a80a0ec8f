// The instrumentation passes: one wasm::Pass per hook family, created by the factories below and
// listed, with their descriptions, in one table (pass-registry.h).
//
// They share what one instrumentation knows (Instrumentation): the module's context, the site
// table, the allocators to hook and the code's facts. Sites are numbered pass by pass, in the
// order of the input's functions and, within one, of the code (InputCodeWalker), so the same
// module always gets the same ids.

#pragma once

#include "allocator-discovery.h"
#include "code-facts.h"
#include "module-context.h"
#include "site-table.h"

#include <pass.h>
#include <wasm-builder.h>
#include <wasm-traversal.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace viewsan {

struct Instrumentation {
  ModuleContext& context;
  SiteTable& sites;
  const std::vector<Allocator>& allocators; // to hook, by function index
  const CodeFacts& facts;                   // of the input, before any pass
  // What the passes did, for the listing.
  std::map<uint32_t, uint32_t> directCalls; // direct calls rewritten, by allocator index
  uint32_t memoryGrows = 0;
};

std::unique_ptr<wasm::Pass> createInstrumentAllocatorsPass(Instrumentation& instrumentation);
std::unique_ptr<wasm::Pass> createInstrumentMemoryGrowPass(Instrumentation& instrumentation);

// What the copies of one pass that walk functions in parallel share: the sites each function's
// walk made, by input function index (each walk writes only to its own function's slot), to be
// numbered once the walk is over, and what the pass prepared before the walk (State derives from
// this).
struct InputCodeState {
  std::vector<std::vector<Site>> pending;
};

// A pass that walks the code of every function defined in the input, wherever that code lives by
// then (ModuleContext::codeOf: an earlier pass may have moved it), and nothing else: not the
// functions the passes add, whose code must stay as written. The walks run in parallel, one copy
// of the pass per function; their sites are then numbered in input order, so the same module
// always gets the same ids.
//
// SubType provides beforeWalk() (adds what the rewrites need; runs once, before any walk),
// afterWalk() (runs once the sites are numbered) and visit* methods, which call addSite().
template<typename SubType, typename State>
struct InputCodeWalker : public wasm::WalkerPass<wasm::PostWalker<SubType>> {
  InputCodeWalker(Instrumentation& instrumentation, std::shared_ptr<State> state)
    : instrumentation(instrumentation), state(std::move(state)) {}

  // The pass the registry runs works on the whole module (preparing, then numbering); the copies
  // it makes for its nested runner each walk one function.
  bool isFunctionParallel() override { return walksOneFunction; }
  // The passes add no locals, and a function's non-nullable ones are valid as read.
  bool requiresNonNullableLocalFixups() override { return false; }

  std::unique_ptr<wasm::Pass> create() override {
    auto copy = std::make_unique<SubType>(instrumentation, state);
    copy->walksOneFunction = true;
    return copy;
  }

  void run(wasm::Module* module) override {
    state->pending.assign(instrumentation.context.numFunctions(), {});
    static_cast<SubType*>(this)->beforeWalk();
    wasm::PassRunner runner(module, this->getPassOptions());
    runner.setIsNested(true);
    runner.add(create());
    runner.run();
    for (uint32_t index = 0; index < state->pending.size(); ++index) {
      for (const Site& site : state->pending[index]) {
        instrumentation.sites.add(
          site.kind, site.func, site.callee, site.idConstant, site.holder, site.origin);
      }
    }
    static_cast<SubType*>(this)->afterWalk();
  }

  void runOnFunction(wasm::Module* module, wasm::Function* function) override {
    if (std::optional<uint32_t> index = instrumentation.context.indexOfCode(function)) {
      inputIndex = *index;
      wasm::WalkerPass<wasm::PostWalker<SubType>>::runOnFunction(module, function);
    }
  }

  // The `i32.const` of a new site in the function walked, for the caller to pass to a hook.
  wasm::Const* addSite(SiteKind kind, std::optional<uint32_t> callee) {
    wasm::Const* idConstant = wasm::Builder(*this->getModule()).makeConst(int32_t(0));
    state->pending[inputIndex].push_back(Site{kind,
                                              inputIndex,
                                              callee,
                                              std::nullopt,
                                              idConstant,
                                              this->getFunction(),
                                              this->getCurrent(),
                                              std::nullopt,
                                              std::nullopt});
    return idConstant;
  }

  void beforeWalk() {}
  void afterWalk() {}

  Instrumentation& instrumentation;
  std::shared_ptr<State> state;
  bool walksOneFunction = false;
  uint32_t inputIndex = 0; // the input function whose code is walked
};

} // namespace viewsan
