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

#include <wasm-builder.h>

#include <algorithm>
#include <unordered_map>

namespace viewsan {

namespace {

using wasm::Builder;
using wasm::Expression;
using wasm::Index;
using wasm::Name;
using wasm::Type;

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
    : context_(context),
      sites_(sites),
      module_(context.module()),
      builder_(context.module()),
      passSites_(passSites) {}

  // Moves the allocator's code out of its function and routes the function through the hook.
  // Returns the name of the hooked wrapper, which direct calls are redirected to.
  Name wrap(const Allocator& allocator);

private:
  // The hooked wrapper's body: the original call between depth updates, and the report.
  Expression* hookedBody(const Allocator& allocator, Name original, const wasm::Signature& sig);
  // The call to the hook, made only at depth 0.
  Expression* report(const Allocator& allocator, Index site, Index result);
  Expression* sizeArgument(const ArgPositions& args);
  Expression* local(Index index, Type type) { return builder_.makeLocalGet(index, type); }
  Expression* i32(int32_t value) { return builder_.makeConst(value); }
  Expression* adjustDepth(wasm::BinaryOp op);
  Name depthGlobal();
  Name siteGlobal();
  Name addGlobal(const char* base, int32_t initial);
  // At depth 0, whether the site global is -1 (op: eq) or holds a site (op: ne).
  Expression* atDepthZeroWithSite(wasm::BinaryOp op);
  // The call of the original code with the wrapper's own parameters.
  Expression* callOriginal(Name original, const wasm::Signature& sig);
  // The body of a wrapper that forwards: it passes its site down and reports nothing.
  Expression* forwardingBody(Name original, const wasm::Signature& sig);

  ModuleContext& context_;
  SiteTable& sites_;
  wasm::Module& module_;
  Builder builder_;
  bool passSites_;
  Name depth_;
  Name site_;
};

Name AllocatorWrapper::addGlobal(const char* base, int32_t initial) {
  Name name = context_.freshName(base);
  module_.addGlobal(
    Builder::makeGlobal(name, Type::i32, builder_.makeConst(initial), Builder::Mutable));
  return name;
}

Name AllocatorWrapper::siteGlobal() {
  if (!site_) {
    site_ = addGlobal(kSiteGlobal, -1);
  }
  return site_;
}

Name AllocatorWrapper::depthGlobal() {
  if (!depth_) {
    depth_ = addGlobal(kDepthGlobal, 0);
  }
  return depth_;
}

Expression* AllocatorWrapper::atDepthZeroWithSite(wasm::BinaryOp op) {
  Expression* depthZero =
    builder_.makeUnary(wasm::EqZInt32, builder_.makeGlobalGet(depthGlobal(), Type::i32));
  Expression* site =
    builder_.makeBinary(op, builder_.makeGlobalGet(siteGlobal(), Type::i32), i32(-1));
  return builder_.makeBinary(wasm::AndInt32, depthZero, site);
}

Expression* AllocatorWrapper::callOriginal(Name original, const wasm::Signature& sig) {
  std::vector<Expression*> forwarded;
  for (Index i = 0; i < sig.params.size(); ++i) {
    forwarded.push_back(local(i, sig.params[i]));
  }
  return builder_.makeCall(original, forwarded, sig.results);
}

Expression* AllocatorWrapper::forwardingBody(Name original, const wasm::Signature& sig) {
  const bool returns = sig.results != Type::none;
  const Index site = Index(sig.params.size()), result = site + 1;
  const Index passed = returns ? site + 2 : site + 1;
  Expression* call = callOriginal(original, sig);
  std::vector<Expression*> body = {
    builder_.makeIf(atDepthZeroWithSite(wasm::EqInt32),
                    builder_.makeBlock({
                      builder_.makeGlobalSet(siteGlobal(), local(site, Type::i32)),
                      builder_.makeLocalSet(passed, i32(1)),
                    })),
    returns ? builder_.makeLocalSet(result, call) : call,
    builder_.makeIf(local(passed, Type::i32), builder_.makeGlobalSet(siteGlobal(), i32(-1))),
  };
  if (returns) {
    body.push_back(local(result, sig.results));
  }
  return builder_.makeBlock(body);
}

Expression* AllocatorWrapper::adjustDepth(wasm::BinaryOp op) {
  return builder_.makeGlobalSet(
    depthGlobal(),
    builder_.makeBinary(op, builder_.makeGlobalGet(depthGlobal(), Type::i32), i32(1)));
}

Expression* AllocatorWrapper::sizeArgument(const ArgPositions& args) {
  const Type address = context_.addressType();
  Expression* size = local(args.size, address);
  if (args.count < 0) {
    return size;
  }
  return builder_.makeBinary(address == Type::i64 ? wasm::MulInt64 : wasm::MulInt32,
                             local(args.count, address),
                             size);
}

Expression* AllocatorWrapper::report(const Allocator& allocator, Index site, Index result) {
  const ArgPositions& args = allocator.spec.args;
  const Type address = context_.addressType();
  // Only the outermost call reports, and an out-parameter allocator only when it succeeded.
  Expression* skip = builder_.makeGlobalGet(depthGlobal(), Type::i32);
  Hook hook = Hook::Alloc;
  std::vector<Expression*> hookArgs;
  switch (allocator.spec.role) {
    case AllocRole::Alloc:
      if (args.out >= 0) {
        Expression* stored = builder_.makeLoad(address.getByteSize(),
                                               false,
                                               0,
                                               address.getByteSize(),
                                               local(args.out, address),
                                               address,
                                               context_.memoryName());
        hookArgs = {stored, sizeArgument(args)};
        skip = builder_.makeBinary(wasm::OrInt32, skip, local(result, Type::i32));
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
  hookArgs.push_back(local(site, Type::i32));
  return builder_.makeIf(builder_.makeUnary(wasm::EqZInt32, skip),
                         builder_.makeCall(context_.hook(hook), hookArgs, Type::none));
}

Expression* AllocatorWrapper::hookedBody(const Allocator& allocator,
                                         Name original,
                                         const wasm::Signature& sig) {
  const Index site = Index(sig.params.size()), result = site + 1;
  Expression* call = callOriginal(original, sig);
  if (sig.results != Type::none) {
    call = builder_.makeLocalSet(result, call);
  }
  const bool isFree = allocator.spec.role == AllocRole::Free;
  std::vector<Expression*> body;
  if (passSites_) {
    body.push_back(builder_.makeIf(atDepthZeroWithSite(wasm::NeInt32),
                                   builder_.makeBlock({
                                     builder_.makeLocalSet(
                                       site, builder_.makeGlobalGet(siteGlobal(), Type::i32)),
                                     builder_.makeGlobalSet(siteGlobal(), i32(-1)),
                                   })));
  }
  if (isFree) {
    body.push_back(report(allocator, site, result));
  }
  body.push_back(adjustDepth(wasm::AddInt32));
  body.push_back(call);
  body.push_back(adjustDepth(wasm::SubInt32));
  if (!isFree) {
    body.push_back(report(allocator, site, result));
  }
  if (sig.results != Type::none) {
    body.push_back(local(result, sig.results));
  }
  return builder_.makeBlock(body);
}

Name AllocatorWrapper::wrap(const Allocator& allocator) {
  wasm::Function* function = context_.function(allocator.index);
  const wasm::Signature sig = function->getSig();
  const Index numParams = Index(sig.params.size());
  const std::string stem = context_.stemName(allocator.index);

  // The original code, with the same type, locals and local names.
  Name originalName = context_.freshName(stem + kOriginalSuffix);
  auto original = Builder::makeFunction(
    originalName, function->type, std::vector<Type>(function->vars), function->body);
  original->localNames = function->localNames;
  original->localIndices = function->localIndices;
  moveCodeInfo(*function, *original);
  context_.markChanged(module_.addFunction(std::move(original)));

  const bool forwards = !allocator.forwardsTo.empty();
  std::vector<Type> hookedParams(sig.params.begin(), sig.params.end());
  hookedParams.push_back(Type::i32);
  std::vector<Type> hookedVars;
  if (sig.results != Type::none) {
    hookedVars.push_back(sig.results);
  }
  if (forwards) {
    hookedVars.push_back(Type::i32);
  }
  Name hookedName = context_.freshName(stem + kHookedSuffix);
  auto hooked = Builder::makeFunction(
    hookedName,
    wasm::HeapType(wasm::Signature(Type(hookedParams), sig.results)),
    std::move(hookedVars),
    forwards ? forwardingBody(originalName, sig) : hookedBody(allocator, originalName, sig));
  for (Index i = 0; i < numParams; ++i) {
    if (function->hasLocalName(i)) {
      hooked->setLocalName(i, function->getLocalName(i));
    }
  }
  hooked->setLocalName(numParams, "site");
  if (sig.results != Type::none) {
    hooked->setLocalName(numParams + 1, "result");
  }
  if (forwards) {
    hooked->setLocalName(hooked->getNumLocals() - 1, "passed");
  }
  context_.markChanged(module_.addFunction(std::move(hooked)));

  // $F itself now only forwards, with its export site, to the hooked wrapper: it keeps its
  // parameters and their names, and no other local.
  std::vector<Expression*> forwarded;
  for (Index i = 0; i < numParams; ++i) {
    forwarded.push_back(local(i, sig.params[i]));
  }
  wasm::Const* exportSite = builder_.makeConst(int32_t(0));
  sites_.addExport(allocator.index, allocator.spec, exportSite, function);
  forwarded.push_back(exportSite);
  function->body = builder_.makeCall(hookedName, forwarded, sig.results);
  function->vars.clear();
  for (auto named = function->localNames.begin(); named != function->localNames.end();) {
    if (named->first >= numParams) {
      function->localIndices.erase(named->second);
      named = function->localNames.erase(named);
    } else {
      ++named;
    }
  }
  context_.markChanged(function);
  context_.setCodeOf(allocator.index, module_.getFunction(originalName));
  return hookedName;
}

struct AllocatorState : InputCodeState {
  struct Wrapped {
    uint32_t allocator;
    Name hooked;
  };
  // By the allocator's name; filled before the walk, only read during it.
  std::unordered_map<Name, Wrapped> wrappedByName;
};

struct InstrumentAllocators : public InputCodeWalker<InstrumentAllocators, AllocatorState> {
  using InputCodeWalker::InputCodeWalker;

  // Wraps first, so that export sites come first and the walk sees each allocator's code in its
  // new home.
  void beforeWalk() {
    const std::vector<Allocator>& allocators = instrumentation.allocators;
    const bool passSites = std::any_of(allocators.begin(), allocators.end(), [](const Allocator& a) {
      return !a.forwardsTo.empty();
    });
    AllocatorWrapper wrapper(instrumentation.context, instrumentation.sites, passSites);
    for (const Allocator& allocator : allocators) {
      Name name = instrumentation.context.function(allocator.index)->name;
      state->wrappedByName.emplace(name,
                                   AllocatorState::Wrapped{allocator.index, wrapper.wrap(allocator)});
    }
  }

  // Sends a direct call to an allocator to its hooked wrapper, with a site of its own. The
  // wrapper takes the allocator's parameters and an i32 and returns what it returns, so the call
  // stays valid wherever it is: the function holding it is not validated again (on a Rust
  // module, that is most of them).
  void visitCall(wasm::Call* call) {
    auto found = state->wrappedByName.find(call->target);
    if (found == state->wrappedByName.end()) {
      return;
    }
    call->target = found->second.hooked;
    call->operands.push_back(addSite(SiteKind::Call, found->second.allocator));
  }

  void afterWalk() {
    for (const std::vector<Site>& sites : state->pending) {
      for (const Site& site : sites) {
        ++instrumentation.directCalls[*site.callee];
      }
    }
  }
};

} // namespace

std::unique_ptr<wasm::Pass> createInstrumentAllocatorsPass(Instrumentation& instrumentation) {
  return std::make_unique<InstrumentAllocators>(instrumentation, std::make_shared<AllocatorState>());
}

} // namespace viewsan
