#include "code-facts.h"

#include <gtest/gtest.h>
#include <parser/wat-parser.h>
#include <wasm.h>

#include <algorithm>

namespace viewsan {
namespace {

struct Parsed {
  wasm::Module module;
  ModuleScan scan;
};

// Parses `text` with every feature on; the scan says the module has no imports.
void parse(Parsed& parsed, const char* text) {
  parsed.module.features = wasm::FeatureSet::All;
  auto status = wasm::WATParser::parseModule(parsed.module, text);
  ASSERT_FALSE(status.getErr()) << status.getErr()->msg;
}

std::vector<uint32_t> sorted(std::vector<uint32_t> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

// Entry points besides the exports, for the coverage check: the functions element segments hold
// (active, passive, in tables other than the first, as expressions), ref.func in code and in
// global initializers, and the start function.
TEST(CodeFacts, FindsEveryWayIntoAFunctionButTheExports) {
  Parsed parsed;
  parse(parsed, R"(
    (module
      (table $t 4 funcref) (table $u 4 funcref)
      (global $g funcref (ref.func $f7))
      (elem (table $t) (i32.const 0) func $f0 $f1)
      (elem func $f2)
      (elem (table $u) (i32.const 0) funcref (ref.func $f3) (ref.null func))
      (elem declare func $f4)
      (start $f5)
      (func $f0) (func $f1) (func $f2) (func $f3) (func $f4) (func $f5)
      (func $f6 (drop (ref.func $f4)) (call $f0) (return_call $f1))
      (func $f7 (drop (memory.grow (i32.const 1))))
      (memory 1))
  )");
  ModuleContext context(parsed.module, parsed.scan);
  CodeFacts facts = collectCodeFacts(context);
  EXPECT_EQ(sorted(facts.graph.entries), (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 7}));
  EXPECT_FALSE(facts.graph.anyFunctionIsEntry);
  EXPECT_EQ(facts.graph.callees[6], (std::vector<uint32_t>{0, 1}));
  EXPECT_TRUE(facts.graph.grows[7]);
  EXPECT_FALSE(facts.graph.grows[6]);
  EXPECT_TRUE(facts.use.refFunc);
  EXPECT_FALSE(facts.use.gc);
}

TEST(CodeFacts, AnElementItemThatIsNoFunctionReferenceMakesEveryFunctionAnEntry) {
  Parsed parsed;
  parse(parsed, R"(
    (module
      (global $g (ref func) (ref.func $f))
      (table 1 funcref)
      (elem (i32.const 0) funcref (global.get $g))
      (func $f))
  )");
  ModuleContext context(parsed.module, parsed.scan);
  EXPECT_TRUE(collectCodeFacts(context).graph.anyFunctionIsEntry);
}

TEST(CodeFacts, ATableOfFunctionsNeedsNoReferenceTypes) {
  Parsed parsed;
  parse(parsed, R"(
    (module (table 1 funcref) (elem (i32.const 0) $f) (func $f (call $f)))
  )");
  ModuleContext context(parsed.module, parsed.scan);
  CodeFacts facts = collectCodeFacts(context);
  EXPECT_FALSE(facts.use.refFunc);
  EXPECT_EQ(facts.graph.entries, (std::vector<uint32_t>{0}));
}

TEST(CodeFacts, NoticesGCInstructions) {
  Parsed parsed;
  parse(parsed, R"(
    (module (func $f (drop (ref.i31 (i32.const 1)))))
  )");
  ModuleContext context(parsed.module, parsed.scan);
  EXPECT_TRUE(collectCodeFacts(context).use.gc);
}

} // namespace
} // namespace viewsan
