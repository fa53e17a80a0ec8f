#include "expression-walker.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace viewsan {

namespace {

using Ref = BinaryenExpressionRef;

// One child position of an expression: either a single child, or a list of them (block items,
// call operands, catch bodies).
struct ChildSlot {
  Ref (*get)(Ref) = nullptr;
  void (*set)(Ref, Ref) = nullptr;
  BinaryenIndex (*count)(Ref) = nullptr;
  Ref (*getAt)(Ref, BinaryenIndex) = nullptr;
  void (*setAt)(Ref, BinaryenIndex, Ref) = nullptr;
};

struct ExpressionShape {
  std::vector<ChildSlot> slots; // in evaluation order
  bool opaque = false;          // has children the C API cannot reach
};

// clang-format off
#define CHILD(CLASS, FIELD) \
  ChildSlot{Binaryen##CLASS##Get##FIELD, Binaryen##CLASS##Set##FIELD}
#define CHILDREN(CLASS, ONE, MANY) \
  ChildSlot{nullptr, nullptr, Binaryen##CLASS##GetNum##MANY, \
            Binaryen##CLASS##Get##ONE##At, Binaryen##CLASS##Set##ONE##At}
// clang-format on

const ExpressionShape kLeaf{};
const ExpressionShape kOpaque{{}, true};

const ExpressionShape kNop = kLeaf;
const ExpressionShape kBlock{{CHILDREN(Block, Child, Children)}};
const ExpressionShape kIf{{CHILD(If, Condition), CHILD(If, IfTrue), CHILD(If, IfFalse)}};
const ExpressionShape kLoop{{CHILD(Loop, Body)}};
const ExpressionShape kBreak{{CHILD(Break, Value), CHILD(Break, Condition)}};
const ExpressionShape kSwitch{{CHILD(Switch, Value), CHILD(Switch, Condition)}};
const ExpressionShape kCall{{CHILDREN(Call, Operand, Operands)}};
const ExpressionShape kCallIndirect{
  {CHILDREN(CallIndirect, Operand, Operands), CHILD(CallIndirect, Target)}};
const ExpressionShape kLocalGet = kLeaf;
const ExpressionShape kLocalSet{{CHILD(LocalSet, Value)}};
const ExpressionShape kGlobalGet = kLeaf;
const ExpressionShape kGlobalSet{{CHILD(GlobalSet, Value)}};
const ExpressionShape kLoad{{CHILD(Load, Ptr)}};
const ExpressionShape kStore{{CHILD(Store, Ptr), CHILD(Store, Value)}};
const ExpressionShape kAtomicRMW{{CHILD(AtomicRMW, Ptr), CHILD(AtomicRMW, Value)}};
const ExpressionShape kAtomicCmpxchg{
  {CHILD(AtomicCmpxchg, Ptr), CHILD(AtomicCmpxchg, Expected), CHILD(AtomicCmpxchg, Replacement)}};
const ExpressionShape kAtomicWait{
  {CHILD(AtomicWait, Ptr), CHILD(AtomicWait, Expected), CHILD(AtomicWait, Timeout)}};
const ExpressionShape kAtomicNotify{{CHILD(AtomicNotify, Ptr), CHILD(AtomicNotify, NotifyCount)}};
const ExpressionShape kAtomicFence = kLeaf;
const ExpressionShape kSIMDExtract{{CHILD(SIMDExtract, Vec)}};
const ExpressionShape kSIMDReplace{{CHILD(SIMDReplace, Vec), CHILD(SIMDReplace, Value)}};
const ExpressionShape kSIMDShuffle{{CHILD(SIMDShuffle, Left), CHILD(SIMDShuffle, Right)}};
const ExpressionShape kSIMDTernary{
  {CHILD(SIMDTernary, A), CHILD(SIMDTernary, B), CHILD(SIMDTernary, C)}};
const ExpressionShape kSIMDShift{{CHILD(SIMDShift, Vec), CHILD(SIMDShift, Shift)}};
const ExpressionShape kSIMDLoad{{CHILD(SIMDLoad, Ptr)}};
const ExpressionShape kSIMDLoadStoreLane{
  {CHILD(SIMDLoadStoreLane, Ptr), CHILD(SIMDLoadStoreLane, Vec)}};
const ExpressionShape kMemoryInit{
  {CHILD(MemoryInit, Dest), CHILD(MemoryInit, Offset), CHILD(MemoryInit, Size)}};
const ExpressionShape kDataDrop = kLeaf;
const ExpressionShape kMemoryCopy{
  {CHILD(MemoryCopy, Dest), CHILD(MemoryCopy, Source), CHILD(MemoryCopy, Size)}};
const ExpressionShape kMemoryFill{
  {CHILD(MemoryFill, Dest), CHILD(MemoryFill, Value), CHILD(MemoryFill, Size)}};
const ExpressionShape kConst = kLeaf;
const ExpressionShape kUnary{{CHILD(Unary, Value)}};
const ExpressionShape kBinary{{CHILD(Binary, Left), CHILD(Binary, Right)}};
const ExpressionShape kSelect{
  {CHILD(Select, IfTrue), CHILD(Select, IfFalse), CHILD(Select, Condition)}};
const ExpressionShape kDrop{{CHILD(Drop, Value)}};
const ExpressionShape kReturn{{CHILD(Return, Value)}};
const ExpressionShape kMemorySize = kLeaf;
const ExpressionShape kMemoryGrow{{CHILD(MemoryGrow, Delta)}};
const ExpressionShape kUnreachable = kLeaf;
const ExpressionShape kPop = kLeaf;
const ExpressionShape kRefNull = kLeaf;
const ExpressionShape kRefIs{{CHILD(RefIs, Value)}};
const ExpressionShape kRefFunc = kLeaf;
const ExpressionShape kRefEq{{CHILD(RefEq, Left), CHILD(RefEq, Right)}};
const ExpressionShape kTableGet{{CHILD(TableGet, Index)}};
const ExpressionShape kTableSet{{CHILD(TableSet, Index), CHILD(TableSet, Value)}};
const ExpressionShape kTableSize = kLeaf;
const ExpressionShape kTableGrow{{CHILD(TableGrow, Value), CHILD(TableGrow, Delta)}};
const ExpressionShape kTry{{CHILD(Try, Body), CHILDREN(Try, CatchBody, CatchBodies)}};
const ExpressionShape kThrow{{CHILDREN(Throw, Operand, Operands)}};
const ExpressionShape kRethrow = kLeaf;
const ExpressionShape kTupleMake{{CHILDREN(TupleMake, Operand, Operands)}};
const ExpressionShape kTupleExtract{{CHILD(TupleExtract, Tuple)}};
const ExpressionShape kI31New{{CHILD(I31New, Value)}};
const ExpressionShape kI31Get{{CHILD(I31Get, I31)}};
const ExpressionShape kRttCanon = kLeaf;
// Binaryen 108's C API marks these GC instructions TODO: it has no accessors for their children.
const ExpressionShape kCallRef = kOpaque;
const ExpressionShape kRefTest = kOpaque;
const ExpressionShape kRefCast = kOpaque;
const ExpressionShape kBrOn = kOpaque;
const ExpressionShape kRttSub = kOpaque;
const ExpressionShape kStructNew = kOpaque;
const ExpressionShape kStructGet = kOpaque;
const ExpressionShape kStructSet = kOpaque;
const ExpressionShape kArrayNew = kOpaque;
const ExpressionShape kArrayInit = kOpaque;
const ExpressionShape kArrayGet = kOpaque;
const ExpressionShape kArraySet = kOpaque;
const ExpressionShape kArrayLen = kOpaque;
const ExpressionShape kArrayCopy = kOpaque;
const ExpressionShape kRefAs{{CHILD(RefAs, Value)}};

#undef CHILD
#undef CHILDREN

struct ExpressionKind {
  const char* name;
  const ExpressionShape* shape;
};

// Every kind Binaryen defines must have a shape above, or this fails to compile.
std::unordered_map<BinaryenExpressionId, ExpressionKind> makeKinds() {
  std::unordered_map<BinaryenExpressionId, ExpressionKind> kinds;
#define DELEGATE(CLASS) kinds.emplace(Binaryen##CLASS##Id(), ExpressionKind{#CLASS, &k##CLASS})
#include <wasm-delegations.def>
  return kinds;
}

// Expression ids are small integers: a table indexed by id is looked up on every expression.
std::vector<const ExpressionKind*> makeKindTable() {
  static const std::unordered_map<BinaryenExpressionId, ExpressionKind> kinds = makeKinds();
  std::vector<const ExpressionKind*> table;
  for (const auto& [id, kind] : kinds) {
    table.resize(std::max<size_t>(table.size(), id + 1), nullptr);
    table[id] = &kind;
  }
  return table;
}

const ExpressionKind& kindOf(Ref expression) {
  static const std::vector<const ExpressionKind*> table = makeKindTable();
  return *table.at(BinaryenExpressionGetId(expression));
}

struct Frame {
  Ref expression;
  const ExpressionKind* kind;
  // Where this expression sits in its parent, to put a replacement there.
  size_t slotInParent;
  BinaryenIndex itemInParent;
  // The next child to enter.
  size_t slot = 0;
  BinaryenIndex item = 0;
};

Frame enter(Ref expression, size_t slotInParent, BinaryenIndex itemInParent, WalkStats* stats) {
  const ExpressionKind& kind = kindOf(expression);
  if (kind.shape->opaque && stats) {
    ++stats->unwalkable[kind.name];
  }
  return Frame{expression, &kind, slotInParent, itemInParent};
}

// Advances `frame` to its next non-null child and returns it, with where it sits; null when
// every child has been entered.
Ref nextChild(Frame& frame, size_t& slotIndex, BinaryenIndex& itemIndex) {
  const std::vector<ChildSlot>& slots = frame.kind->shape->slots;
  while (frame.slot < slots.size()) {
    const ChildSlot& slot = slots[frame.slot];
    slotIndex = frame.slot;
    if (slot.get) {
      ++frame.slot;
      if (Ref child = slot.get(frame.expression)) {
        return child;
      }
      continue;
    }
    if (frame.item < slot.count(frame.expression)) {
      itemIndex = frame.item++;
      if (Ref child = slot.getAt(frame.expression, itemIndex)) {
        return child;
      }
      continue;
    }
    ++frame.slot;
    frame.item = 0;
  }
  return nullptr;
}

void setChild(const Frame& parent, size_t slotIndex, BinaryenIndex itemIndex, Ref child) {
  const ChildSlot& slot = parent.kind->shape->slots[slotIndex];
  if (slot.set) {
    slot.set(parent.expression, child);
  } else {
    slot.setAt(parent.expression, itemIndex, child);
  }
}

} // namespace

BinaryenExpressionRef
walkExpressions(BinaryenExpressionRef root, const ExpressionVisitor& visit, WalkStats* stats) {
  // An explicit stack: real code nests deeply enough to exhaust the native one.
  std::vector<Frame> stack;
  stack.push_back(enter(root, 0, 0, stats));
  while (true) {
    size_t slotIndex = 0;
    BinaryenIndex itemIndex = 0;
    if (Ref child = nextChild(stack.back(), slotIndex, itemIndex)) {
      stack.push_back(enter(child, slotIndex, itemIndex, stats));
      continue;
    }
    Frame done = stack.back();
    stack.pop_back();
    Ref replacement = visit(done.expression);
    if (stack.empty()) {
      return replacement ? replacement : root;
    }
    if (replacement) {
      setChild(stack.back(), done.slotInParent, done.itemInParent, replacement);
    }
  }
}

void walkFunction(BinaryenFunctionRef function, const ExpressionVisitor& visit, WalkStats* stats) {
  Ref body = BinaryenFunctionGetBody(function);
  if (!body) {
    return;
  }
  Ref newBody = walkExpressions(body, visit, stats);
  if (newBody != body) {
    BinaryenFunctionSetBody(function, newBody);
  }
}

} // namespace viewsan
