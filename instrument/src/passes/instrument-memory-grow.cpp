// Reports every memory.grow to the runtime, which must know when growth detaches the views
// JavaScript holds over the old buffer.
//
// Each memory.grow becomes a call
// to one helper that receives the delta and the site as parameters. Every memory.grow gets its
// own site, wherever it sits in the expression tree.
//
//  Before:
//   (func $sbrk (param $pages i32) (result i32)
//     (memory.grow (local.get $pages)))
//  After:
//   (func $sbrk (param $pages i32) (result i32)
//     (call $viewsan.grow (local.get $pages) (i32.const 3)))          ;; site 3
//   (func $viewsan.grow (param $delta i32) (param $site i32) (result i32) (local $prev i32)
//     (call $viewsan.grow_begin (local.get $delta) (local.get $site))
//     (local.set $prev (memory.grow (local.get $delta)))
//     (call $viewsan.grow_end (local.get $prev) (local.get $delta) (local.get $site))
//     (local.get $prev))
//
// The module has one memory: multi-memory modules are refused before the passes run.
// grow_end receives -1 as prev when the growth failed, as memory.grow returns it. A memory64
// module passes i64 pages to the grow_begin64 and grow_end64 hooks.

#include "hook-names.h"
#include "passes/passes.h"

#include <wasm-builder.h>

#include <algorithm>

namespace viewsan {

namespace {

struct GrowState : InputCodeState {
  wasm::Name helper; // added before the walk when some function grows the memory
};

struct InstrumentMemoryGrow : public InputCodeWalker<InstrumentMemoryGrow, GrowState> {
  using InputCodeWalker::InputCodeWalker;

  void beforeWalk() {
    const std::vector<bool>& grows = instrumentation.facts.graph.grows;
    if (std::find(grows.begin(), grows.end(), true) != grows.end()) {
      state->helper = addHelper();
    }
  }

  void visitMemoryGrow(wasm::MemoryGrow* grow) {
    ModuleContext& context = instrumentation.context;
    if (grow->memory != context.memoryName() || !state->helper) {
      return;
    }
    wasm::Const* site = addSite(SiteKind::MemoryGrow, std::nullopt);
    // An unreachable delta makes the call unreachable too, like the memory.grow it replaces.
    wasm::Call* call = wasm::Builder(*getModule())
                         .makeCall(state->helper, {grow->delta, site}, context.addressType());
    replaceKeepingLocations(call);
  }

  void afterWalk() {
    for (const std::vector<Site>& sites : state->pending) {
      for (const Site& site : sites) {
        ++instrumentation.memoryGrows;
        instrumentation.context.markChanged(site.holder);
      }
    }
  }

  // The call stands where the memory.grow was: it takes its source location (replaceCurrent),
  // and its place in the input binary, by which Binaryen's writer updates DWARF's line table.
  void replaceKeepingLocations(wasm::Expression* replacement) {
    wasm::Function* function = getFunction();
    auto binary = function->expressionLocations.find(getCurrent());
    if (binary != function->expressionLocations.end()) {
      // Moved, not copied: the writer maps each input address to one expression.
      wasm::BinaryLocations::Span span = binary->second;
      function->expressionLocations.erase(binary);
      function->expressionLocations[replacement] = span;
    }
    replaceCurrent(replacement);
  }

  wasm::Name addHelper() {
    ModuleContext& context = instrumentation.context;
    wasm::Module& module = context.module();
    wasm::Builder builder(module);
    const wasm::Type address = context.addressType();
    enum : wasm::Index { Delta, Site, Prev };
    auto get = [&](wasm::Index local) {
      return builder.makeLocalGet(local, local == Site ? wasm::Type::i32 : address);
    };
    wasm::Expression* body = builder.makeBlock({
      builder.makeCall(context.hook(Hook::GrowBegin), {get(Delta), get(Site)}, wasm::Type::none),
      builder.makeLocalSet(Prev, builder.makeMemoryGrow(get(Delta), context.memoryName())),
      builder.makeCall(
        context.hook(Hook::GrowEnd), {get(Prev), get(Delta), get(Site)}, wasm::Type::none),
      get(Prev),
    });
    wasm::Name name = context.freshName(kGrowHelper);
    auto helper = wasm::Builder::makeFunction(
      name,
      {{"delta", address}, {"site", wasm::Type::i32}},
      wasm::Type(wasm::HeapType(wasm::Signature({address, wasm::Type::i32}, address)),
                 wasm::NonNullable,
                 wasm::Exact),
      {{"prev", address}},
      body);
    context.markChanged(module.addFunction(std::move(helper)));
    return name;
  }
};

} // namespace

std::unique_ptr<wasm::Pass> createInstrumentMemoryGrowPass(Instrumentation& instrumentation) {
  return std::make_unique<InstrumentMemoryGrow>(instrumentation, std::make_shared<GrowState>());
}

} // namespace viewsan
