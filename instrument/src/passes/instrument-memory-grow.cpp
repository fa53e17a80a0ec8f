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
// The module has one memory: the binary scan refuses multi-memory modules.
// grow_end receives -1 as prev when the growth failed, as memory.grow returns it. A memory64
// module passes i64 pages to the grow_begin64 and grow_end64 hooks.

#include "hook-names.h"
#include "passes/passes.h"


namespace viewsan {

namespace {

std::string addGrowHelper(ModuleContext& context) {
  BinaryenModuleRef module = context.module();
  BinaryenType address = context.addressType();
  enum : BinaryenIndex { Delta, Site, Prev };
  auto get = [&](BinaryenIndex local) {
    return BinaryenLocalGet(module, local, local == Site ? BinaryenTypeInt32() : address);
  };

  BinaryenExpressionRef beginArgs[] = {get(Delta), get(Site)};
  BinaryenExpressionRef endArgs[] = {get(Prev), get(Delta), get(Site)};
  BinaryenExpressionRef body[] = {
    BinaryenCall(module, context.hook(Hook::GrowBegin), beginArgs, 2, BinaryenTypeNone()),
    BinaryenLocalSet(module, Prev, BinaryenMemoryGrow(module, get(Delta), context.memoryName(), context.scan().memory64)),
    BinaryenCall(module, context.hook(Hook::GrowEnd), endArgs, 3, BinaryenTypeNone()),
    get(Prev),
  };

  std::string name = context.freshName(kGrowHelper);
  BinaryenType params[] = {address, BinaryenTypeInt32()};
  BinaryenFunctionRef helper =
    BinaryenAddFunction(module,
                        name.c_str(),
                        BinaryenTypeCreate(params, 2),
                        address,
                        &address,
                        1,
                        BinaryenBlock(module, nullptr, body, 4, BinaryenTypeAuto()));
  BinaryenFunctionSetLocalName(helper, Delta, "delta");
  BinaryenFunctionSetLocalName(helper, Site, "site");
  BinaryenFunctionSetLocalName(helper, Prev, "prev");
  context.markChanged(helper);
  return name;
}

} // namespace

BinaryenExpressionRef MemoryGrowHooks::rewriteGrow(BinaryenExpressionRef grow, uint32_t function) {
  if (helper_.empty()) {
    helper_ = addGrowHelper(context_);
  }
  ++count_;
  BinaryenModuleRef module = context_.module();
  BinaryenExpressionRef args[] = {
    BinaryenMemoryGrowGetDelta(grow),
    sites_.add(module, SiteKind::MemoryGrow, function, std::nullopt),
  };
  // An unreachable delta makes the call unreachable too, like the memory.grow it replaces.
  return BinaryenCall(module, helper_.c_str(), args, 2, context_.addressType());
}

} // namespace viewsan
