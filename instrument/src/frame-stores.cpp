#include "frame-stores.h"

#include <wasm-traversal.h>

#include <vector>

namespace viewsan {

namespace {

using wasm::Expression;

// Expressions that write memory other than through a plain store.
bool writesMemoryOtherwise(Expression* expression) {
  return expression->is<wasm::MemoryCopy>() || expression->is<wasm::MemoryFill>() ||
         expression->is<wasm::MemoryInit>() || expression->is<wasm::AtomicRMW>() ||
         expression->is<wasm::AtomicCmpxchg>() || expression->is<wasm::SIMDLoadStoreLane>() ||
         expression->is<wasm::CallIndirect>() || expression->is<wasm::CallRef>();
}

bool mentionsLocal(Expression* root, wasm::Index local) {
  struct Finder : public wasm::PostWalker<Finder> {
    void visitLocalGet(wasm::LocalGet* get) { found |= get->index == index; }
    wasm::Index index;
    bool found = false;
  } finder;
  finder.index = local;
  finder.walk(root);
  return finder.found;
}

// A storing callee's parameters it stores unchanged through its first parameter: parameter ->
// {offset, bytes}. Null when the function does anything else to memory (see frame-stores.h).
std::optional<std::map<wasm::Index, std::pair<uint64_t, uint8_t>>>
storedParams(wasm::Function* callee) {
  if (callee->imported() || callee->getResults() != wasm::Type::none ||
      callee->getNumParams() < 2) {
    return std::nullopt;
  }
  struct Walker : public wasm::PostWalker<Walker, wasm::UnifiedExpressionVisitor<Walker>> {
    void visitExpression(Expression* expression) {
      if (writesMemoryOtherwise(expression)) {
        ok = false;
      } else if (auto* set = expression->dynCast<wasm::LocalSet>()) {
        written.insert(set->index);
      } else if (auto* store = expression->dynCast<wasm::Store>()) {
        auto* base = store->ptr->dynCast<wasm::LocalGet>();
        ok &= base && base->index == 0;
        stores.push_back(store);
      } else if (auto* call = expression->dynCast<wasm::Call>()) {
        for (Expression* operand : call->operands) {
          ok &= !mentionsLocal(operand, 0);
        }
      }
    }
    bool ok = true;
    std::set<wasm::Index> written;
    std::vector<wasm::Store*> stores;
  } walker;
  walker.walk(callee->body);
  if (!walker.ok || walker.written.count(0)) {
    return std::nullopt;
  }
  std::map<wasm::Index, std::pair<uint64_t, uint8_t>> stored;
  for (wasm::Store* store : walker.stores) {
    auto* value = store->value->dynCast<wasm::LocalGet>();
    if (!value || value->index == 0 || value->index >= callee->getNumParams() ||
        walker.written.count(value->index) || stored.count(value->index)) {
      continue;
    }
    uint64_t start = store->offset;
    uint64_t end = start + store->bytes;
    bool alone = true;
    for (wasm::Store* other : walker.stores) {
      alone &= other == store || other->offset + other->bytes <= start || other->offset >= end;
    }
    if (alone) {
      stored.emplace(value->index, std::make_pair(start, uint8_t(store->bytes)));
    }
  }
  return stored;
}

} // namespace

FrameStores::FrameStores(const ModuleContext& context, wasm::Function* wrapper)
    : wrapper_(wrapper), graph_(wrapper, &context.module()) {
  struct Walker : public wasm::PostWalker<Walker, wasm::UnifiedExpressionVisitor<Walker>> {
    void visitExpression(Expression* expression) {
      if (writesMemoryOtherwise(expression)) {
        otherWrites = true;
      } else if (auto* set = expression->dynCast<wasm::LocalSet>()) {
        sets.push_back(set);
      } else if (auto* store = expression->dynCast<wasm::Store>()) {
        stores.push_back(store);
      } else if (auto* call = expression->dynCast<wasm::Call>()) {
        calls.push_back(call);
      }
    }
    bool otherWrites = false;
    std::vector<wasm::LocalSet*> sets;
    std::vector<wasm::Store*> stores;
    std::vector<wasm::Call*> calls;
  } walker;
  walker.walk(wrapper->body);
  if (walker.otherWrites) {
    return;
  }
  // Frames whose address goes anywhere but to a storing call's first argument.
  std::set<const wasm::LocalSet*> escaped;
  auto addressOfFrame = [&](Expression* value) -> const wasm::LocalSet* {
    std::optional<Slot> slot = frameAddress(value, 0);
    return slot ? slot->frame : nullptr;
  };
  for (wasm::LocalSet* set : walker.sets) {
    if (auto frame = addressOfFrame(set->value)) {
      escaped.insert(frame);  // a second name for the frame's address
    }
  }
  auto overwrite = [&](Slot slot, uint64_t bytes) {
    for (auto& [at, stored] : slots_) {
      if (at.frame == slot.frame && at.address < slot.address + bytes &&
          slot.address < at.address + (stored ? stored->bytes : 1)) {
        stored.reset();
      }
    }
  };
  for (wasm::Call* call : walker.calls) {
    std::optional<Slot> base =
        call->operands.empty() ? std::nullopt : frameAddress(call->operands[0], 0);
    std::optional<std::map<wasm::Index, std::pair<uint64_t, uint8_t>>> stored;
    if (base && call->type == wasm::Type::none) {
      if (std::optional<uint32_t> callee = context.indexOf(call->target)) {
        stored = storedParams(context.function(*callee));
      }
    }
    if (!stored) {
      for (Expression* operand : call->operands) {
        if (auto frame = addressOfFrame(operand)) {
          escaped.insert(frame);
        }
      }
      continue;
    }
    storingCalls_.insert(call);
    for (size_t i = 1; i < call->operands.size(); ++i) {
      if (auto frame = addressOfFrame(call->operands[i])) {
        escaped.insert(frame);  // the callee may hand it on to a call that writes through it
      }
      auto at = stored->find(wasm::Index(i));
      if (at == stored->end()) {
        continue;
      }
      Slot slot{base->frame, base->address + at->second.first};
      bool param = receivedAsIs(call->operands[i]);
      auto [it, added] = slots_.emplace(slot, std::nullopt);
      if (added && param) {
        it->second = Stored{call->operands[i]->cast<wasm::LocalGet>()->index, at->second.second};
      } else {
        it->second.reset();
      }
    }
  }
  for (wasm::Store* store : walker.stores) {
    if (std::optional<Slot> slot = frameAddress(store->ptr, store->offset)) {
      overwrite(*slot, store->bytes);
    }
  }
  for (auto& [slot, stored] : slots_) {
    if (escaped.count(slot.frame)) {
      stored.reset();
    }
  }
}

bool FrameStores::carries(Expression* operand, wasm::Index param) const {
  if (auto* get = operand->dynCast<wasm::LocalGet>()) {
    const wasm::LocalSet* set = reachingSet(get);
    if (!set) {
      return false;
    }
    operand = set->value;
  }
  auto* load = operand->dynCast<wasm::Load>();
  if (!load) {
    return false;
  }
  std::optional<Slot> slot = frameAddress(load->ptr, load->offset);
  if (!slot) {
    return false;
  }
  auto at = slots_.find(*slot);
  return at != slots_.end() && at->second && at->second->param == param &&
         at->second->bytes == load->bytes;
}

std::optional<FrameStores::Slot> FrameStores::frameAddress(Expression* pointer,
                                                           uint64_t offset) const {
  // A local's value, where one write of it is all that reaches the read.
  auto frame = [&](Expression* expression) -> const wasm::LocalSet* {
    auto* get = expression->dynCast<wasm::LocalGet>();
    return get && get->index >= wrapper_->getNumParams() ? reachingSet(get) : nullptr;
  };
  if (const wasm::LocalSet* set = frame(pointer)) {
    return Slot{set, offset};
  }
  auto* add = pointer->dynCast<wasm::Binary>();
  if (!add || (add->op != wasm::AddInt32 && add->op != wasm::AddInt64)) {
    return std::nullopt;
  }
  for (auto [base, other] : {std::make_pair(add->left, add->right),
                             std::make_pair(add->right, add->left)}) {
    const wasm::LocalSet* set = frame(base);
    auto* constant = other->dynCast<wasm::Const>();
    if (set && constant) {
      uint64_t delta = constant->value.getInteger();
      return Slot{set, delta + offset};
    }
  }
  return std::nullopt;
}

const wasm::LocalSet* FrameStores::reachingSet(wasm::LocalGet* get) const {
  const wasm::LocalGraph::Sets& sets = graph_.getSets(get);
  return sets.size() == 1 ? *sets.begin() : nullptr;
}

bool FrameStores::receivedAsIs(Expression* operand) const {
  auto* get = operand->dynCast<wasm::LocalGet>();
  if (!get || get->index >= wrapper_->getNumParams()) {
    return false;
  }
  const wasm::LocalGraph::Sets& sets = graph_.getSets(get);
  return sets.size() == 1 && *sets.begin() == nullptr;
}

} // namespace viewsan
