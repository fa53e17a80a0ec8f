#include "allocator-wrappers.h"

#include <wasm-traversal.h>

#include "frame-stores.h"

#include <functional>
#include <map>
#include <set>

namespace viewsan {

namespace {

using wasm::Expression;

// Deeper chains than this are not thin wrappers any more.
constexpr int kMaxChain = 16;

struct Forwarding {
  uint32_t callee;
  ArgPositions args;
};

// What the code of a function holds that the rule looks at.
struct CodeFacts {
  std::vector<wasm::Call*> calls; // direct calls and return_calls
  // Calls the next instruction of whose block is unreachable: they never return (Rust's panics,
  // as wasm-bindgen's __wbindgen_free makes on a bad layout), so they forward nothing.
  std::set<wasm::Call*> diverging;
  // Calls whose result only decides a branch: it reaches a br_if's or an if's condition through
  // arithmetic alone (wasm-bindgen's check that a layout is valid before it allocates, when not
  // inlined), so they hand back no block.
  std::set<wasm::Call*> tested;
  bool otherCalls = false;        // call_indirect or call_ref
  std::vector<wasm::Loop*> loops;
  std::vector<wasm::LocalSet*> localSets; // local.set and local.tee
  std::vector<wasm::Return*> returns;
  std::vector<wasm::Break*> breaks; // br and br_if
  bool switches = false;            // br_table
};

struct FactsWalker : public wasm::PostWalker<FactsWalker> {
  void visitCall(wasm::Call* call) { facts.calls.push_back(call); }
  void visitCallIndirect(wasm::CallIndirect*) { facts.otherCalls = true; }
  void visitCallRef(wasm::CallRef*) { facts.otherCalls = true; }
  void visitLoop(wasm::Loop* loop) { facts.loops.push_back(loop); }
  void visitLocalSet(wasm::LocalSet* set) { facts.localSets.push_back(set); }
  void visitReturn(wasm::Return* ret) { facts.returns.push_back(ret); }
  void visitBreak(wasm::Break* br) {
    facts.breaks.push_back(br);
    if (br->condition) {
      collectTested(br->condition);
    }
  }
  void visitIf(wasm::If* iff) { collectTested(iff->condition); }
  void visitSwitch(wasm::Switch*) { facts.switches = true; }
  void visitBlock(wasm::Block* block) {
    for (size_t i = 0; i + 1 < block->list.size(); ++i) {
      if (auto* call = block->list[i]->dynCast<wasm::Call>();
          call && block->list[i + 1]->is<wasm::Unreachable>()) {
        facts.diverging.insert(call);
      }
    }
  }

  void collectTested(Expression* condition) {
    if (auto* call = condition->dynCast<wasm::Call>()) {
      facts.tested.insert(call);
    } else if (auto* unary = condition->dynCast<wasm::Unary>()) {
      collectTested(unary->value);
    } else if (auto* binary = condition->dynCast<wasm::Binary>()) {
      collectTested(binary->left);
      collectTested(binary->right);
    }
  }

  CodeFacts facts;
};

CodeFacts factsOf(wasm::Function* function) {
  FactsWalker walker;
  walker.walk(function->body);
  return std::move(walker.facts);
}

bool contains(Expression* root, Expression* target) {
  struct Finder : public wasm::PostWalker<Finder, wasm::UnifiedExpressionVisitor<Finder>> {
    void visitExpression(Expression* expression) { found |= expression == target; }
    Expression* target;
    bool found = false;
  } finder;
  finder.target = target;
  finder.walk(root);
  return finder.found;
}

// Where parameter `param` of the wrapper reaches `call`'s operands, if it reaches exactly one of
// them unchanged: as it is, when the wrapper writes the parameter nowhere but with the call's
// result, or read back from the wrapper's frame, which a storing call filled with it as it
// arrived (frame-stores.h).
std::optional<int> forwardedPosition(const CodeFacts& facts, const FrameStores& frame,
                                     wasm::Call* call, int param) {
  bool written = false;
  for (wasm::LocalSet* set : facts.localSets) {
    written |= int(set->index) == param && set->value != call;
  }
  std::optional<int> position;
  for (size_t i = 0; i < call->operands.size(); ++i) {
    auto* get = call->operands[i]->dynCast<wasm::LocalGet>();
    if ((!written && get && int(get->index) == param) ||
        frame.carries(call->operands[i], wasm::Index(param))) {
      if (position) {
        return std::nullopt;
      }
      position = int(i);
    }
  }
  return position;
}

// What the values a function returns can be. Values pass through blocks (their last item and
// the values of branches to them), `if` and `select` arms, local.tee, and locals. A value is
// acceptable when it can only be the result of one of the calls, or a constant (the dangling
// pointer a wrapper returns for a zero size, or null); `yielded` collects the calls seen.
class ReturnedValues {
public:
  explicit ReturnedValues(const CodeFacts& facts) : facts_(facts) {}

  bool acceptable(Expression* value) {
    if (value->type == wasm::Type::unreachable) {
      return true;
    }
    if (auto* call = value->dynCast<wasm::Call>()) {
      yielded.insert(call);
      return true;
    }
    if (value->is<wasm::Const>()) {
      return true;
    }
    if (auto* tee = value->dynCast<wasm::LocalSet>()) { // a tee: its value passes through
      return tee->isTee() && acceptable(tee->value);
    }
    if (auto* get = value->dynCast<wasm::LocalGet>()) {
      return acceptableLocal(get->index);
    }
    if (auto* iff = value->dynCast<wasm::If>()) {
      return iff->ifFalse && acceptable(iff->ifTrue) && acceptable(iff->ifFalse);
    }
    if (auto* select = value->dynCast<wasm::Select>()) {
      return acceptable(select->ifTrue) && acceptable(select->ifFalse);
    }
    if (auto* block = value->dynCast<wasm::Block>()) {
      return acceptableBlock(block);
    }
    return false;
  }

  std::set<Expression*> yielded;

private:
  // A local's value is acceptable when every write to it is, wherever they are: the rule does
  // not follow control flow. Its value on entry is: zero for a variable, and for a parameter an
  // argument, which is no block the wrapper made without calling the allocator (wasm-bindgen
  // returns its `align` argument as the dangling pointer of a zero size; a reallocating wrapper
  // may hand its `ptr` back unchanged).
  bool acceptableLocal(wasm::Index local) {
    if (!locals_.insert(local).second) {
      return true; // being checked further up
    }
    for (wasm::LocalSet* set : facts_.localSets) {
      if (set->index == local && !acceptable(set->value)) {
        return false;
      }
    }
    return true;
  }

  bool acceptableBlock(wasm::Block* block) {
    if (block->list.empty() || !acceptable(block->list.back())) {
      return false;
    }
    if (!block->name) {
      return true;
    }
    if (facts_.switches) {
      return false;
    }
    for (wasm::Break* br : facts_.breaks) {
      if (br->value && br->name == block->name && !acceptable(br->value)) {
        return false;
      }
    }
    return true;
  }

  const CodeFacts& facts_;
  std::set<wasm::Index> locals_;
};

// The functions `index` forwards to, with the positions its arguments arrive at in each, if it
// is a forwarding wrapper for `spec`.
std::optional<std::vector<Forwarding>>
forwardingOf(const ModuleContext& context, uint32_t index, const AllocatorSpec& spec) {
  if (spec.args.out >= 0 || context.isImported(index)) {
    return std::nullopt;
  }
  wasm::Function* function = context.function(index);
  CodeFacts facts = factsOf(function);
  bool frees = spec.role == AllocRole::Free;
  FrameStores frame(context, function);
  // A free forwards through its one call that returns; the others may only panic. A call that
  // only stores arguments in the wrapper's frame forwards nothing, nor does one that takes no
  // argument and returns nothing. In a wrapper that allocates, neither does a call whose result
  // only decides a branch: rule 5 holds what it hands out to its other calls' results. A free has
  // no such hold (`if (!try_free(p)) report(p)` must not make `report` the free).
  std::vector<wasm::Call*> calls;
  for (wasm::Call* call : facts.calls) {
    bool argless = call->operands.empty() && call->type == wasm::Type::none;
    bool tested = !frees && facts.tested.count(call);
    if ((!frees || !facts.diverging.count(call)) && !frame.storing(call) && !argless && !tested) {
      calls.push_back(call);
    }
  }
  if (calls.empty() || (frees && calls.size() != 1) || facts.otherCalls) {
    return std::nullopt;
  }
  std::vector<Forwarding> forwardings;
  for (wasm::Call* call : calls) {
    std::optional<uint32_t> callee = context.indexOf(call->target);
    if (!callee || *callee == index || context.isImported(*callee)) {
      return std::nullopt;
    }
    for (wasm::Loop* loop : facts.loops) {
      if (contains(loop->body, call)) {
        return std::nullopt;
      }
    }
    Forwarding forwarding{*callee, {}};
    for (auto field : {&ArgPositions::ptr, &ArgPositions::size, &ArgPositions::count}) {
      if (spec.args.*field < 0) {
        continue;
      }
      std::optional<int> position = forwardedPosition(facts, frame, call, spec.args.*field);
      if (!position) {
        return std::nullopt;
      }
      forwarding.args.*field = *position;
    }
    AllocatorSpec calleeSpec{spec.name, spec.role, forwarding.args};
    if (allocatorSignatureProblem(context, *callee, calleeSpec)) {
      return std::nullopt;
    }
    if (frees && context.function(*callee)->getResults() != wasm::Type::none) {
      return std::nullopt;
    }
    forwardings.push_back(forwarding);
  }
  if (!frees) {
    // What the wrapper returns is what its callees return, and each callee's result is returned.
    ReturnedValues values(facts);
    for (wasm::Return* ret : facts.returns) {
      if (ret->value && !values.acceptable(ret->value)) {
        return std::nullopt;
      }
    }
    if (!values.acceptable(function->body) || values.yielded.size() != calls.size()) {
      return std::nullopt;
    }
  }
  return forwardings;
}

bool sameHook(const AllocatorSpec& a, const AllocatorSpec& b) {
  return a.role == b.role && a.args.ptr == b.args.ptr && a.args.size == b.args.size &&
         a.args.count == b.args.count && a.args.out == b.args.out;
}

} // namespace

void followWrappers(const ModuleContext& context, std::vector<Allocator>& hooked) {
  std::map<uint32_t, AllocatorSpec> named;
  for (const Allocator& allocator : hooked) {
    named.emplace(allocator.index, allocator.spec);
  }
  std::map<uint32_t, Allocator> found;
  std::set<uint32_t> conflicting;
  // Every forwarding step seen: wrapper -> each callee with the callee's positions.
  std::map<uint32_t, std::vector<std::pair<uint32_t, AllocatorSpec>>> steps;
  // Walk down from each entry point, level by level.
  std::vector<std::pair<uint32_t, int>> pending;
  for (const Allocator& entry : hooked) {
    pending.emplace_back(entry.index, 0);
  }
  while (!pending.empty()) {
    auto [current, depth] = pending.back();
    pending.pop_back();
    if (depth >= kMaxChain || steps.count(current)) {
      continue;
    }
    auto known = named.find(current);
    const AllocatorSpec& spec = known != named.end() ? known->second : found.at(current).spec;
    std::optional<std::vector<Forwarding>> forwardings = forwardingOf(context, current, spec);
    if (!forwardings) {
      continue;
    }
    std::vector<std::pair<uint32_t, AllocatorSpec>>& step = steps[current];
    for (const Forwarding& forwarding : *forwardings) {
      uint32_t callee = forwarding.callee;
      AllocatorSpec calleeSpec{
        context.function(callee)->name.toString(), spec.role, forwarding.args};
      step.emplace_back(callee, calleeSpec);
      if (named.count(callee)) {
        continue; // hooked in its own right, and followed from there
      }
      auto seen = found.find(callee);
      if (seen != found.end()) {
        if (!sameHook(seen->second.spec, calleeSpec)) {
          conflicting.insert(callee);
        }
        continue;
      }
      found.emplace(callee, Allocator{callee, calleeSpec, {}, false, current, {}});
      pending.emplace_back(callee, depth + 1);
    }
  }
  // Drop the conflicting functions and what was found below them.
  for (bool dropped = true; dropped;) {
    dropped = false;
    for (auto it = found.begin(); it != found.end();) {
      uint32_t wrapper = *it->second.wrapper;
      if (conflicting.count(it->first) || (!named.count(wrapper) && !found.count(wrapper))) {
        it = found.erase(it);
        dropped = true;
      } else {
        ++it;
      }
    }
  }
  for (auto& [index, allocator] : found) {
    hooked.push_back(std::move(allocator));
  }
  // A wrapper forwards when every function it calls is hooked too, as the step found it.
  std::map<uint32_t, Allocator*> byIndex;
  for (Allocator& allocator : hooked) {
    byIndex.emplace(allocator.index, &allocator);
  }
  for (auto& [wrapper, step] : steps) {
    auto w = byIndex.find(wrapper);
    bool all = w != byIndex.end();
    std::vector<uint32_t> callees;
    for (auto& [callee, calleeSpec] : step) {
      auto c = byIndex.find(callee);
      all = all && c != byIndex.end() && sameHook(c->second->spec, calleeSpec);
      callees.push_back(callee);
    }
    if (all) {
      w->second->forwardsTo = callees;
    }
  }
  // Someone at the end of every forwarding path must report: no cycles.
  for (Allocator& allocator : hooked) {
    std::set<uint32_t> onPath;
    std::function<bool(const Allocator&)> cycles = [&](const Allocator& at) {
      if (!onPath.insert(at.index).second) {
        return true;
      }
      for (uint32_t callee : at.forwardsTo) {
        if (cycles(*byIndex.at(callee))) {
          return true;
        }
      }
      onPath.erase(at.index);
      return false;
    };
    if (cycles(allocator)) {
      allocator.forwardsTo.clear();
    }
  }
}

} // namespace viewsan
