#include "expression-walker.h"

#include <gtest/gtest.h>
#include <parser/wat-parser.h>
#include <wasm-validator.h>
#include <wasm.h>

#include <vector>

namespace viewsan {
namespace {

using Ref = BinaryenExpressionRef;

class ExpressionWalker : public testing::Test {
protected:
  ExpressionWalker() {
    BinaryenModuleSetFeatures(module, BinaryenFeatureAll());
    BinaryenSetMemory(
      module, 1, 100, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, 0, true, false, "memory");
    BinaryenAddTable(module, "table", 1, 10, BinaryenTypeFuncref(), nullptr);
    BinaryenType i32 = BinaryenTypeInt32();
    BinaryenAddTag(module, "tag", i32, BinaryenTypeNone());
    BinaryenAddFunction(module, "sink", i32, BinaryenTypeNone(), nullptr, 0, BinaryenNop(module));
  }
  ~ExpressionWalker() override { BinaryenModuleDispose(module); }

  Ref constant(int32_t value) { return BinaryenConst(module, BinaryenLiteralInt32(value)); }
  // A memory.grow, counted so the test knows how many the walk must find.
  Ref grow() {
    ++grows;
    return BinaryenMemoryGrow(module, constant(1), nullptr, false);
  }
  Ref drop(Ref value) { return BinaryenDrop(module, value); }

  // Replaces every memory.grow with a constant of the same type.
  int replaceGrows(BinaryenFunctionRef function) {
    int replaced = 0;
    walkFunction(function, [&](Ref expression) -> Ref {
      if (BinaryenExpressionGetId(expression) != BinaryenMemoryGrowId()) {
        return nullptr;
      }
      ++replaced;
      return constant(7);
    });
    return replaced;
  }

  BinaryenModuleRef module = BinaryenModuleCreate();
  int grows = 0;
};

TEST_F(ExpressionWalker, VisitsChildrenBeforeParentsInEvaluationOrder) {
  // The condition comes first in the C API and last in evaluation order.
  Ref select = BinaryenSelect(module, constant(3), constant(1), constant(2));
  Ref store = BinaryenStore(module, 4, 0, 0, constant(4), constant(5), BinaryenTypeInt32(), nullptr);
  Ref operands[] = {constant(6), constant(7)};
  Ref callIndirect = BinaryenCallIndirect(
    module,
    "table",
    constant(8),
    operands,
    2,
    BinaryenTypeCreate(std::vector<BinaryenType>(2, BinaryenTypeInt32()).data(), 2),
    BinaryenTypeNone());
  Ref items[] = {drop(select), store, callIndirect};
  Ref block = BinaryenBlock(module, nullptr, items, 3, BinaryenTypeAuto());

  std::vector<std::string> visited;
  walkExpressions(block, [&](Ref expression) -> Ref {
    BinaryenExpressionId id = BinaryenExpressionGetId(expression);
    visited.push_back(id == BinaryenConstId() ? std::to_string(BinaryenConstGetValueI32(expression))
                      : id == BinaryenSelectId()       ? "select"
                      : id == BinaryenDropId()         ? "drop"
                      : id == BinaryenStoreId()        ? "store"
                      : id == BinaryenCallIndirectId() ? "call_indirect"
                                                       : "block");
    return nullptr;
  });
  EXPECT_EQ(visited,
            (std::vector<std::string>{"1",
                                      "2",
                                      "3",
                                      "select",
                                      "drop",
                                      "4",
                                      "5",
                                      "store",
                                      "6",
                                      "7",
                                      "8",
                                      "call_indirect",
                                      "block"}));
}

TEST_F(ExpressionWalker, ReplacesAnExpressionInEveryKindOfPosition) {
  BinaryenType i32 = BinaryenTypeInt32();
  Ref callOperands[] = {grow()};
  Ref indirectOperands[] = {grow(), grow()};
  Ref tupleOperands[] = {grow(), grow()};
  Ref loopBody = drop(grow());
  Ref breakValue[] = {BinaryenBreak(module, "out", grow(), grow())};
  Ref tuple = BinaryenTupleMake(module, tupleOperands, 2);
  const char* tags[] = {"tag"};
  Ref catchBodies[] = {
    drop(BinaryenBinary(module, BinaryenAddInt32(), BinaryenPop(module, i32), grow()))};
  uint8_t zeroes[16] = {};
  Ref vector = BinaryenConst(module, BinaryenLiteralVec128(zeroes));
  Ref body[] = {
    BinaryenIf(module, grow(), drop(grow()), drop(grow())),
    BinaryenLoop(module, "loop", loopBody),
    drop(BinaryenBlock(module, "out", breakValue, 1, i32)),
    BinaryenCall(module, "sink", callOperands, 1, BinaryenTypeNone()),
    BinaryenCallIndirect(module,
                         "table",
                         grow(),
                         indirectOperands,
                         2,
                         BinaryenTypeCreate(std::vector<BinaryenType>(2, i32).data(), 2),
                         BinaryenTypeNone()),
    BinaryenLocalSet(module, 0, grow()),
    BinaryenStore(
      module, 4, 0, 0, grow(), BinaryenLoad(module, 4, false, 0, 0, i32, grow(), nullptr), i32, nullptr),
    drop(BinaryenAtomicRMW(
      module, BinaryenAtomicRMWAdd(), 4, 0, grow(), grow(), i32, nullptr, BinaryenMemoryOrderSeqCst())),
    drop(BinaryenAtomicCmpxchg(
      module, 4, 0, grow(), grow(), grow(), i32, nullptr, BinaryenMemoryOrderSeqCst())),
    drop(BinaryenAtomicNotify(module, grow(), grow(), nullptr)),
    drop(BinaryenSIMDReplace(module, BinaryenReplaceLaneVecI32x4(), vector, 0, grow())),
    drop(BinaryenSIMDShift(module, BinaryenShlVecI32x4(), vector, grow())),
    drop(BinaryenSIMDLoad(module, BinaryenLoad32SplatVec128(), 0, 4, grow(), nullptr)),
    BinaryenMemoryCopy(module, grow(), grow(), grow(), nullptr, nullptr),
    BinaryenMemoryFill(module, grow(), grow(), grow(), nullptr),
    drop(BinaryenSelect(module, grow(), grow(), grow())),
    drop(BinaryenUnary(module, BinaryenEqZInt32(), grow())),
    drop(BinaryenTableGet(module, "table", grow(), BinaryenTypeFuncref())),
    drop(
      BinaryenTableGrow(module, "table", BinaryenRefNull(module, BinaryenTypeFuncref()), grow())),
    drop(BinaryenTupleExtract(module, tuple, 1)),
    drop(BinaryenRefI31(module, grow())),
    BinaryenTry(module, nullptr, drop(grow()), tags, 1, catchBodies, 1, nullptr),
    BinaryenReturn(module, nullptr),
  };
  BinaryenFunctionRef function = BinaryenAddFunction(
    module,
    "test",
    BinaryenTypeNone(),
    BinaryenTypeNone(),
    &i32,
    1,
    BinaryenBlock(module, nullptr, body, sizeof(body) / sizeof(body[0]), BinaryenTypeAuto()));
  ASSERT_TRUE(BinaryenModuleValidate(module));

  EXPECT_EQ(replaceGrows(function), grows);
  EXPECT_EQ(replaceGrows(function), 0);
  EXPECT_TRUE(BinaryenModuleValidate(module));
}

TEST_F(ExpressionWalker, ReplacesTheRoot) {
  BinaryenFunctionRef function = BinaryenAddFunction(
    module, "test", BinaryenTypeNone(), BinaryenTypeInt32(), nullptr, 0, grow());
  EXPECT_EQ(replaceGrows(function), 1);
  EXPECT_EQ(BinaryenExpressionGetId(BinaryenFunctionGetBody(function)), BinaryenConstId());
}

TEST_F(ExpressionWalker, WalksNestingDeeperThanTheNativeStackAllows) {
  Ref chain = grow();
  for (int depth = 0; depth < 200000; ++depth) {
    chain = BinaryenUnary(module, BinaryenEqZInt32(), chain);
  }
  BinaryenFunctionRef function =
    BinaryenAddFunction(module, "test", BinaryenTypeNone(), BinaryenTypeInt32(), nullptr, 0, chain);
  EXPECT_EQ(replaceGrows(function), 1);
}

TEST_F(ExpressionWalker, ReachesInsideGcInstructions) {
  // Binaryen 108's C API had no accessors for the operands of these.
  wasm::Module parsed;
  auto status = wasm::WATParser::parseModule(parsed, R"(
    (module
      (memory 1)
      (type $f (func (param i32)))
      (type $s (struct (field (mut i32))))
      (type $a (array (mut i32)))
      (elem declare func $f)
      (func $f (param i32)
        (call_ref $f (memory.grow (i32.const 1)) (ref.func $f))
        (drop (struct.new $s (memory.grow (i32.const 1))))
        (struct.set $s 0 (struct.new_default $s) (memory.grow (i32.const 1)))
        (drop (array.new $a (memory.grow (i32.const 1)) (memory.grow (i32.const 1))))
        (array.set $a (array.new_default $a (i32.const 1)) (memory.grow (i32.const 1))
                   (i32.const 0))
        (drop (ref.test (ref $s) (ref.cast (ref null $s) (struct.new $s (memory.grow (i32.const 1))))))
        (drop (i31.get_s (ref.i31 (memory.grow (i32.const 1)))))))
  )");
  ASSERT_FALSE(status.getErr()) << status.getErr()->msg;
  parsed.features = wasm::FeatureSet::All;
  ASSERT_TRUE(wasm::WasmValidator().validate(parsed));
  wasm::Module* raw = &parsed;
  int replaced = 0;
  walkFunction(BinaryenGetFunction(raw, "f"), [&](Ref expression) -> Ref {
    if (BinaryenExpressionGetId(expression) != BinaryenMemoryGrowId()) {
      return nullptr;
    }
    ++replaced;
    return BinaryenConst(raw, BinaryenLiteralInt32(7));
  });
  EXPECT_EQ(replaced, 8);
  EXPECT_TRUE(wasm::WasmValidator().validate(parsed));
}

} // namespace
} // namespace viewsan
