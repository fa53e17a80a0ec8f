#include "emscripten-glue.h"

#include <gtest/gtest.h>

#include <set>

namespace viewsan {
namespace {

const std::vector<std::string> kSymbols = {"_malloc", "_free", "_calloc", "_realloc"};

// The bindings found in `js` for a module whose function exports are `exports`, as
// "symbol=export" strings.
std::vector<std::string> bindings(std::string_view js, std::set<std::string> exports) {
  GlueReading reading = readEmscriptenGlue(
    js, kSymbols, [&](std::string_view name) { return exports.count(std::string(name)) > 0; });
  std::vector<std::string> found;
  for (const GlueBinding& binding : reading.bindings) {
    found.push_back(binding.symbol + "=" + binding.exportName);
  }
  for (const std::string& symbol : reading.ambiguous) {
    found.push_back(symbol + "?");
  }
  return found;
}

using Found = std::vector<std::string>;

TEST(EmscriptenGlue, ReadsMinifiedAssignmentsToTheExportsObject) {
  // sql.js 1.16, Emscripten 4.
  EXPECT_EQ(bindings("k._sqlite3_open=c.Ha;da=k._malloc=c.Ia;ea=k._free=c.Ja;k._x=c.Ka;",
                     {"Ha", "Ia", "Ja", "Ka"}),
            (Found{"_malloc=Ia", "_free=Ja"}));
}

TEST(EmscriptenGlue, ReadsMinifiedLazyWrappers) {
  // Emscripten 2 and 3 with closure: the export is read on the first call.
  EXPECT_EQ(bindings("var Fb=a._malloc=function(){return(Fb=a._malloc=a.asm.Ub).apply(null,"
                     "arguments)},Gb=a._free=function(){return(Gb=a._free=a.asm.Vb).apply(null,"
                     "arguments)};",
                     {"Ub", "Vb"}),
            (Found{"_malloc=Ub", "_free=Vb"}));
  EXPECT_EQ(bindings("Ya=a._malloc=b=>(Ya=a._malloc=Z.Ub)(b);", {"Ub"}), (Found{"_malloc=Ub"}));
}

TEST(EmscriptenGlue, ReadsUnminifiedGlue) {
  EXPECT_EQ(bindings("var _malloc = Module[\"_malloc\"] = function() {\n"
                     "  return (_malloc = Module[\"_malloc\"] = Module[\"asm\"][\"malloc\"])"
                     ".apply(null, arguments);\n};\n",
                     {"malloc"}),
            (Found{"_malloc=malloc"}));
  EXPECT_EQ(bindings("var _free = Module['_free'] = (a0) => (_free = Module['_free'] = "
                     "wasmExports['free'])(a0);",
                     {"free"}),
            (Found{"_free=free"}));
  EXPECT_EQ(bindings("var _malloc = createExportWrapper('malloc', 1);", {"malloc"}),
            (Found{"_malloc=malloc"}));
  EXPECT_EQ(bindings("_malloc = Module['_malloc'] = wasmExports['malloc']\n_free = x\n",
                     {"malloc", "free"}),
            (Found{"_malloc=malloc"}));
}

TEST(EmscriptenGlue, IgnoresNamesThatOnlyStartWithTheSymbol) {
  EXPECT_EQ(bindings("a._malloc_usable_size=c.Qa;a._free_list=c.Ra;a.sqlite3_free=c.Sa;",
                     {"Qa", "Ra", "Sa"}),
            Found{});
  EXPECT_EQ(bindings("a[\"_freeaddrinfo\"]=c.Qa;", {"Qa"}), Found{});
}

TEST(EmscriptenGlue, IgnoresReadsComparisonsAndArrowParameters) {
  EXPECT_EQ(bindings("if(a._malloc==c.Ia)f();g(a._malloc);h=_malloc=>c.Ia;", {"Ia"}), Found{});
  EXPECT_EQ(bindings("var EXPORTS=[\"_malloc\",\"_free\"];", {"malloc", "free"}), Found{});
}

TEST(EmscriptenGlue, KeepsOnlyFunctionExports) {
  // `memory` and `apply` are read in the statement, but only Ia is an export.
  EXPECT_EQ(bindings("da=k._malloc=(c.memory, c.Ia).apply;", {"Ia"}), (Found{"_malloc=Ia"}));
  EXPECT_EQ(bindings("da=k._malloc=c.Ia;", {"Ja"}), Found{});
}

TEST(EmscriptenGlue, StopsAtTheEndOfTheStatement) {
  EXPECT_EQ(bindings("da=k._malloc=c.Ia;ea=c.Ja;", {"Ia", "Ja"}), (Found{"_malloc=Ia"}));
  EXPECT_EQ(bindings("f(da=k._malloc=c.Ia,c.Ja)", {"Ia", "Ja"}), (Found{"_malloc=Ia"}));
  EXPECT_EQ(bindings("{da=k._malloc=c.Ia}c.Ja", {"Ia", "Ja"}), (Found{"_malloc=Ia"}));
  // Comments and strings do not end it early.
  EXPECT_EQ(bindings("da=k._malloc=/* ; */c[\";\"+'Ia']||c.Ia;", {"Ia"}), (Found{"_malloc=Ia"}));
}

TEST(EmscriptenGlue, LeavesOutASymbolBoundToTwoExports) {
  EXPECT_EQ(bindings("da=k._malloc=c.Ia;db=k._malloc=c.Ib;ea=k._free=c.Ja;", {"Ia", "Ib", "Ja"}),
            (Found{"_free=Ja", "_malloc?"}));
  // The same export twice is one binding.
  EXPECT_EQ(bindings("da=k._malloc=c.Ia;db=k._malloc=c.Ia;", {"Ia"}), (Found{"_malloc=Ia"}));
}

TEST(EmscriptenGlue, SurvivesAnUnterminatedStatement) {
  EXPECT_EQ(bindings("da=k._malloc=\"c.Ia", {"Ia"}), Found{});
  EXPECT_EQ(bindings("da=k._malloc=", {"Ia"}), Found{});
  EXPECT_EQ(bindings("k[\"_malloc", {"Ia"}), Found{});
}

} // namespace
} // namespace viewsan
