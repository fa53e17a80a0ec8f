// Reports every allocation, reallocation and free exactly once, however the allocator is
// entered: from JavaScript through an export, by a direct call, through call_indirect, or
// through a ref.func.
//
// Each allocator $F keeps its index, its exports and its table slots. Its code moves to
// $F$viewsan.orig, and $F$viewsan.hooked calls that and the hook, taking the site as an extra
// parameter. Direct calls go straight to $F$viewsan.hooked with their own site; every other way
// in reaches $F, which passes $F's export site.
//
//  Before:
//   (func $malloc (export "malloc") (param $size i32) (result i32) BODY)
//   (func $user (drop (call $malloc (i32.const 16))))
//  After:
//   (func $malloc (export "malloc") (param $size i32) (result i32)
//     (call $malloc$viewsan.hooked (local.get $size) (i32.const 0)))      ;; export site 0
//   (func $malloc$viewsan.orig (param $size i32) (result i32) BODY)
//   (func $malloc$viewsan.hooked (param $size i32) (param $site i32) (result i32)
//     (local $result i32)
//     (global.set $viewsan.depth (i32.add (global.get $viewsan.depth) (i32.const 1)))
//     (local.set $result (call $malloc$viewsan.orig (local.get $size)))
//     (global.set $viewsan.depth (i32.sub (global.get $viewsan.depth) (i32.const 1)))
//     (if (i32.eqz (global.get $viewsan.depth))
//       (call $viewsan.alloc (local.get $result) (local.get $size) (local.get $site)))
//     (local.get $result))
//   (func $user (drop (call $malloc$viewsan.hooked (i32.const 16) (i32.const 1))))   ;; site 1
//
// Entry points nest (operator new calls malloc, which may call dlmalloc; realloc may call
// malloc and free), and only the outermost call describes what the program asked for, so the
// wrappers count their depth in a global and only a call made at depth 0 reports. Free hooks
// run before the real free, while the region is still live; alloc and realloc hooks run after
// the call returns, with its result. An allocator that stores its result through a pointer
// argument (posix_memalign) reports the stored pointer, and only when it returns 0.
//
// An allocator that only forwards to another hooked one (allocator-wrappers.h) does not report:
// at depth 0 it leaves its site in a second global for the allocator below, which reports with
// it, so a forwarding call that never reaches the allocator (__wbindgen_free(p, 0)) reports
// nothing. The globals are added only when some allocator forwards.
//
//   (func $__wbindgen_free$viewsan.hooked (param $ptr i32) (param $size i32) (param $site i32)
//     (local $passed i32)
//     (if (i32.and (i32.eqz (global.get $viewsan.depth))
//                  (i32.eq (global.get $viewsan.site) (i32.const -1)))
//       (then (global.set $viewsan.site (local.get $site)) (local.set $passed (i32.const 1))))
//     (call $__wbindgen_free$viewsan.orig (local.get $ptr) (local.get $size))
//     (if (local.get $passed) (then (global.set $viewsan.site (i32.const -1)))))
//
// and each reporting wrapper starts by taking the site left for it:
//
//     (if (i32.and (i32.eqz (global.get $viewsan.depth))
//                  (i32.ne (global.get $viewsan.site) (i32.const -1)))
//       (then (local.set $site (global.get $viewsan.site))
//             (global.set $viewsan.site (i32.const -1))))

#include "hook-names.h"
#include "passes/passes.h"

#include <wasm.h>

#include <algorithm>


namespace viewsan {

namespace {

// What Binaryen keeps about a function's code besides the code: the source locations of its
// expressions (from a source map), where they and the function were in the input binary (by
// which the writer updates DWARF), and their code annotations. They go with the code when it
// moves to another function.
void moveCodeInfo(wasm::Function& from, wasm::Function& to) {
  to.debugLocations = std::move(from.debugLocations);
  to.prologLocation = std::move(from.prologLocation);
  to.epilogLocation = std::move(from.epilogLocation);
  to.expressionLocations = std::move(from.expressionLocations);
  to.delimiterLocations = std::move(from.delimiterLocations);
  to.funcLocation = from.funcLocation;
  to.codeAnnotations = std::move(from.codeAnnotations);
  from.debugLocations.clear();
  from.prologLocation.reset();
  from.epilogLocation.reset();
  from.expressionLocations.clear();
  from.delimiterLocations.clear();
  from.funcLocation = {};
  from.codeAnnotations.clear();
}

class AllocatorWrapper {
public:
  // `passSites`: some allocator forwards, so sites are passed down through a global.
  AllocatorWrapper(ModuleContext& context, SiteTable& sites, bool passSites)
    : context_(context), sites_(sites), module_(context.module()), passSites_(passSites) {}

  // Moves the allocator's code out of its function and routes the function through the hook.
  // Returns the name of the hooked wrapper, which direct calls are redirected to.
  std::string wrap(const Allocator& allocator);

private:
  // The hooked wrapper's body: the original call between depth updates, and the report.
  BinaryenExpressionRef hookedBody(const Allocator& allocator,
                                   const char* original,
                                   const std::vector<BinaryenType>& params,
                                   BinaryenType results);
  // The call to the hook, made only at depth 0.
  BinaryenExpressionRef
  report(const Allocator& allocator, BinaryenIndex site, BinaryenIndex result);
  BinaryenExpressionRef sizeArgument(const ArgPositions& args);
  BinaryenExpressionRef local(BinaryenIndex index, BinaryenType type);
  BinaryenExpressionRef adjustDepth(BinaryenOp op);
  const char* depthGlobal();
  const char* siteGlobal();
  // At depth 0, whether the site global is -1 (op: eq) or holds a site (op: ne).
  BinaryenExpressionRef atDepthZeroWithSite(BinaryenOp op);
  // The body of a wrapper that forwards: it passes its site down and reports nothing.
  BinaryenExpressionRef forwardingBody(const char* original,
                                       const std::vector<BinaryenType>& params,
                                       BinaryenType results);

  ModuleContext& context_;
  SiteTable& sites_;
  BinaryenModuleRef module_;
  bool passSites_;
  std::string depth_;
  std::string site_;
};

const char* AllocatorWrapper::siteGlobal() {
  if (site_.empty()) {
    site_ = context_.freshName(kSiteGlobal);
    BinaryenAddGlobal(module_,
                      site_.c_str(),
                      BinaryenTypeInt32(),
                      true,
                      BinaryenConst(module_, BinaryenLiteralInt32(-1)));
  }
  return site_.c_str();
}

BinaryenExpressionRef AllocatorWrapper::atDepthZeroWithSite(BinaryenOp op) {
  BinaryenExpressionRef depthZero = BinaryenUnary(
    module_, BinaryenEqZInt32(), BinaryenGlobalGet(module_, depthGlobal(), BinaryenTypeInt32()));
  BinaryenExpressionRef site =
    BinaryenBinary(module_,
                   op,
                   BinaryenGlobalGet(module_, siteGlobal(), BinaryenTypeInt32()),
                   BinaryenConst(module_, BinaryenLiteralInt32(-1)));
  return BinaryenBinary(module_, BinaryenAndInt32(), depthZero, site);
}

BinaryenExpressionRef AllocatorWrapper::forwardingBody(const char* original,
                                                       const std::vector<BinaryenType>& params,
                                                       BinaryenType results) {
  BinaryenIndex site = BinaryenIndex(params.size());
  BinaryenIndex result = site + 1;
  BinaryenIndex passed = results == BinaryenTypeNone() ? site + 1 : site + 2;
  auto setSite = [&](BinaryenExpressionRef value) {
    return BinaryenGlobalSet(module_, siteGlobal(), value);
  };
  BinaryenExpressionRef pass[] = {
    setSite(local(site, BinaryenTypeInt32())),
    BinaryenLocalSet(module_, passed, BinaryenConst(module_, BinaryenLiteralInt32(1))),
  };
  std::vector<BinaryenExpressionRef> forwarded;
  for (BinaryenIndex i = 0; i < params.size(); ++i) {
    forwarded.push_back(local(i, params[i]));
  }
  BinaryenExpressionRef call =
    BinaryenCall(module_, original, forwarded.data(), BinaryenIndex(forwarded.size()), results);
  std::vector<BinaryenExpressionRef> body = {
    BinaryenIf(module_,
               atDepthZeroWithSite(BinaryenEqInt32()),
               BinaryenBlock(module_, nullptr, pass, 2, BinaryenTypeNone()),
               nullptr),
    results == BinaryenTypeNone() ? call : BinaryenLocalSet(module_, result, call),
    BinaryenIf(module_,
               local(passed, BinaryenTypeInt32()),
               setSite(BinaryenConst(module_, BinaryenLiteralInt32(-1))),
               nullptr),
  };
  if (results != BinaryenTypeNone()) {
    body.push_back(local(result, results));
  }
  return BinaryenBlock(
    module_, nullptr, body.data(), BinaryenIndex(body.size()), BinaryenTypeAuto());
}

const char* AllocatorWrapper::depthGlobal() {
  if (depth_.empty()) {
    depth_ = context_.freshName(kDepthGlobal);
    BinaryenAddGlobal(module_,
                      depth_.c_str(),
                      BinaryenTypeInt32(),
                      true,
                      BinaryenConst(module_, BinaryenLiteralInt32(0)));
  }
  return depth_.c_str();
}

BinaryenExpressionRef AllocatorWrapper::adjustDepth(BinaryenOp op) {
  const char* depth = depthGlobal();
  return BinaryenGlobalSet(module_,
                           depth,
                           BinaryenBinary(module_,
                                          op,
                                          BinaryenGlobalGet(module_, depth, BinaryenTypeInt32()),
                                          BinaryenConst(module_, BinaryenLiteralInt32(1))));
}

BinaryenExpressionRef AllocatorWrapper::local(BinaryenIndex index, BinaryenType type) {
  return BinaryenLocalGet(module_, index, type);
}

BinaryenExpressionRef AllocatorWrapper::sizeArgument(const ArgPositions& args) {
  BinaryenType address = context_.addressType();
  BinaryenExpressionRef size = local(args.size, address);
  if (args.count < 0) {
    return size;
  }
  BinaryenOp mul = address == BinaryenTypeInt64() ? BinaryenMulInt64() : BinaryenMulInt32();
  return BinaryenBinary(module_, mul, local(args.count, address), size);
}

BinaryenExpressionRef
AllocatorWrapper::report(const Allocator& allocator, BinaryenIndex site, BinaryenIndex result) {
  const ArgPositions& args = allocator.spec.args;
  BinaryenType address = context_.addressType();
  // Only the outermost call reports, and an out-parameter allocator only when it succeeded.
  BinaryenExpressionRef skip = BinaryenGlobalGet(module_, depthGlobal(), BinaryenTypeInt32());
  Hook hook = Hook::Alloc;
  std::vector<BinaryenExpressionRef> hookArgs;
  switch (allocator.spec.role) {
    case AllocRole::Alloc:
      if (args.out >= 0) {
        BinaryenExpressionRef stored = BinaryenLoad(module_,
                                                    address == BinaryenTypeInt64() ? 8 : 4,
                                                    false,
                                                    0,
                                                    0,
                                                    address,
                                                    local(args.out, address),
                                                    context_.memoryName());
        hookArgs = {stored, sizeArgument(args)};
        skip = BinaryenBinary(module_, BinaryenOrInt32(), skip, local(result, BinaryenTypeInt32()));
      } else {
        hookArgs = {local(result, address), sizeArgument(args)};
      }
      break;
    case AllocRole::Free:
      hook = Hook::Free;
      hookArgs = {local(args.ptr, address)};
      break;
    case AllocRole::Realloc:
      hook = Hook::Realloc;
      hookArgs = {local(args.ptr, address), local(result, address), sizeArgument(args)};
      break;
  }
  hookArgs.push_back(local(site, BinaryenTypeInt32()));
  return BinaryenIf(module_,
                    BinaryenUnary(module_, BinaryenEqZInt32(), skip),
                    BinaryenCall(module_,
                                 context_.hook(hook),
                                 hookArgs.data(),
                                 BinaryenIndex(hookArgs.size()),
                                 BinaryenTypeNone()),
                    nullptr);
}

BinaryenExpressionRef AllocatorWrapper::hookedBody(const Allocator& allocator,
                                                   const char* original,
                                                   const std::vector<BinaryenType>& params,
                                                   BinaryenType results) {
  BinaryenIndex site = BinaryenIndex(params.size());
  BinaryenIndex result = site + 1;
  std::vector<BinaryenExpressionRef> forwarded;
  for (BinaryenIndex i = 0; i < params.size(); ++i) {
    forwarded.push_back(local(i, params[i]));
  }
  BinaryenExpressionRef call =
    BinaryenCall(module_, original, forwarded.data(), BinaryenIndex(forwarded.size()), results);
  if (results != BinaryenTypeNone()) {
    call = BinaryenLocalSet(module_, result, call);
  }

  bool isFree = allocator.spec.role == AllocRole::Free;
  std::vector<BinaryenExpressionRef> body;
  if (passSites_) {
    BinaryenExpressionRef take[] = {
      BinaryenLocalSet(
        module_, site, BinaryenGlobalGet(module_, siteGlobal(), BinaryenTypeInt32())),
      BinaryenGlobalSet(module_, siteGlobal(), BinaryenConst(module_, BinaryenLiteralInt32(-1))),
    };
    body.push_back(BinaryenIf(module_,
                              atDepthZeroWithSite(BinaryenNeInt32()),
                              BinaryenBlock(module_, nullptr, take, 2, BinaryenTypeNone()),
                              nullptr));
  }
  if (isFree) {
    body.push_back(report(allocator, site, result));
  }
  body.push_back(adjustDepth(BinaryenAddInt32()));
  body.push_back(call);
  body.push_back(adjustDepth(BinaryenSubInt32()));
  if (!isFree) {
    body.push_back(report(allocator, site, result));
  }
  if (results != BinaryenTypeNone()) {
    body.push_back(local(result, results));
  }
  return BinaryenBlock(
    module_, nullptr, body.data(), BinaryenIndex(body.size()), BinaryenTypeAuto());
}

std::string AllocatorWrapper::wrap(const Allocator& allocator) {
  BinaryenFunctionRef function = context_.function(allocator.index);
  BinaryenType paramTuple = BinaryenFunctionGetParams(function);
  BinaryenType results = BinaryenFunctionGetResults(function);
  std::vector<BinaryenType> params(BinaryenTypeArity(paramTuple));
  BinaryenTypeExpand(paramTuple, params.data());
  std::string stem = context_.stemName(allocator.index);

  // The original code, with the same locals and local names.
  std::vector<BinaryenType> vars;
  for (BinaryenIndex i = 0; i < BinaryenFunctionGetNumVars(function); ++i) {
    vars.push_back(BinaryenFunctionGetVar(function, i));
  }
  std::string originalName = context_.freshName(stem + kOriginalSuffix);
  BinaryenFunctionRef original = BinaryenAddFunction(module_,
                                                     originalName.c_str(),
                                                     paramTuple,
                                                     results,
                                                     vars.data(),
                                                     BinaryenIndex(vars.size()),
                                                     BinaryenFunctionGetBody(function));
  for (BinaryenIndex i = 0; i < BinaryenFunctionGetNumLocals(function); ++i) {
    if (BinaryenFunctionHasLocalName(function, i)) {
      BinaryenFunctionSetLocalName(original, i, BinaryenFunctionGetLocalName(function, i));
    }
  }
  context_.markChanged(original);
  moveCodeInfo(*function, *original);

  std::vector<BinaryenType> hookedParams = params;
  hookedParams.push_back(BinaryenTypeInt32());
  std::string hookedName = context_.freshName(stem + kHookedSuffix);
  bool forwards = !allocator.forwardsTo.empty();
  std::vector<BinaryenType> hookedVars;
  if (results != BinaryenTypeNone()) {
    hookedVars.push_back(results);
  }
  if (forwards) {
    hookedVars.push_back(BinaryenTypeInt32());
  }
  BinaryenFunctionRef hooked =
    BinaryenAddFunction(module_,
                        hookedName.c_str(),
                        BinaryenTypeCreate(hookedParams.data(), BinaryenIndex(hookedParams.size())),
                        results,
                        hookedVars.data(),
                        BinaryenIndex(hookedVars.size()),
                        forwards ? forwardingBody(originalName.c_str(), params, results)
                                 : hookedBody(allocator, originalName.c_str(), params, results));
  for (BinaryenIndex i = 0; i < params.size(); ++i) {
    if (BinaryenFunctionHasLocalName(function, i)) {
      BinaryenFunctionSetLocalName(hooked, i, BinaryenFunctionGetLocalName(function, i));
    }
  }
  BinaryenFunctionSetLocalName(hooked, BinaryenIndex(params.size()), "site");
  context_.markChanged(hooked);
  if (results != BinaryenTypeNone()) {
    BinaryenFunctionSetLocalName(hooked, BinaryenIndex(params.size() + 1), "result");
  }
  if (forwards) {
    BinaryenFunctionSetLocalName(
      hooked, BinaryenIndex(params.size() + hookedVars.size()), "passed");
  }

  // $F itself now only forwards, with its export site, to the hooked wrapper.
  std::vector<BinaryenExpressionRef> forwarded;
  for (BinaryenIndex i = 0; i < params.size(); ++i) {
    forwarded.push_back(BinaryenLocalGet(module_, i, params[i]));
  }
  forwarded.push_back(sites_.add(module_, SiteKind::Export, allocator.index, allocator.index));
  BinaryenFunctionSetBody(
    function,
    BinaryenCall(
      module_, hookedName.c_str(), forwarded.data(), BinaryenIndex(forwarded.size()), results));
  // Drop the locals only the moved code used.
  const char* reorderLocals[] = {"reorder-locals"};
  BinaryenFunctionRunPasses(function, module_, reorderLocals, 1);
  context_.markChanged(function);
  context_.setCodeOf(allocator.index, original);
  return hookedName;
}

} // namespace

AllocatorHooks::AllocatorHooks(ModuleContext& context,
                               const std::vector<Allocator>& allocators,
                               SiteTable& sites)
  : context_(context), sites_(sites) {
  // Wrap first, so that export sites come first and the code walk sees each allocator's code in
  // its new home.
  bool passSites = std::any_of(allocators.begin(), allocators.end(), [](const Allocator& a) {
    return !a.forwardsTo.empty();
  });
  AllocatorWrapper wrapper(context, sites, passSites);
  for (const Allocator& allocator : allocators) {
    wrappedByName_.emplace(BinaryenFunctionGetName(context.function(allocator.index)),
                           Wrapped{allocator.index, wrapper.wrap(allocator)});
  }
}

bool AllocatorHooks::rewriteCall(BinaryenExpressionRef call, uint32_t caller) {
  auto found = wrappedByName_.find(BinaryenCallGetTarget(call));
  if (found == wrappedByName_.end()) {
    return false;
  }
  const Wrapped& wrapped = found->second;
  BinaryenCallSetTarget(call, wrapped.hooked.c_str());
  BinaryenCallAppendOperand(call,
                            sites_.add(
                              context_.module(), SiteKind::Call, caller, wrapped.allocator));
  ++directCalls_[wrapped.allocator];
  return true;
}

} // namespace viewsan
