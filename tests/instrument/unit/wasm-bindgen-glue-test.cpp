#include "wasm-bindgen-glue.h"

#include <gtest/gtest.h>

#include <set>

namespace viewsan {
namespace {

// The bindings found in `js` for a module whose function exports are `exports`, as
// "role=export" strings, ambiguous roles as "role?".
std::vector<std::string> bindings(std::string_view js, std::set<std::string> exports) {
  GlueReading reading = readWasmBindgenGlue(
    js, [&](std::string_view name) { return exports.count(std::string(name)) > 0; });
  std::vector<std::string> found;
  for (const GlueBinding& binding : reading.bindings) {
    EXPECT_EQ(binding.allocator, binding.symbol);
    EXPECT_EQ(binding.flag, "--wasm-bindgen-glue");
    found.push_back(binding.symbol + "=" + binding.exportName);
  }
  for (const std::string& role : reading.ambiguous) {
    found.push_back(role + "?");
  }
  return found;
}

using Found = std::vector<std::string>;

const std::set<std::string> kNumbered = {"__wbindgen_export_0", "__wbindgen_export_1",
                                         "__wbindgen_export_2", "__wbindgen_export_3",
                                         "tiktoken_encode", "__wbg_tiktoken_free"};

// The shapes @dqbd/tiktoken 1.0.22's glue has: the allocator's exports are numbered.
const char kNumberedGlue[] = R"(
function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const ptr = malloc(buf.length, 1) >>> 0;
        return ptr;
    }
    ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
}
function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
}
function handleError(f, args) {
    try { return f.apply(this, args); } catch (e) { wasm.__wbindgen_export_0(addHeapObject(e)); }
}
export class Tiktoken {
    free() { wasm.__wbg_tiktoken_free(ptr, 0); }
    encode(text) {
        const ptr0 = passStringToWasm0(text, wasm.__wbindgen_export_1, wasm.__wbindgen_export_2);
        const len0 = WASM_VECTOR_LEN;
        wasm.tiktoken_encode(retptr, this.__wbg_ptr, ptr0, len0, 1);
        var v2 = getArrayU32FromWasm0(r0, r1).slice();
        wasm.__wbindgen_export_3(r0, r1 * 4, 4);
    }
    decode(tokens) {
        const ptr0 = passArray32ToWasm0(tokens, wasm.__wbindgen_export_1);
        v1 = getStringFromWasm0(r0, r1).slice();
        wasm.__wbindgen_export_3(r0, r1 * 1, 1);
    }
}
)";

TEST(WasmBindgenGlue, ReadsNumberedExportsByHowTheGlueCallsThem) {
  EXPECT_EQ(bindings(kNumberedGlue, kNumbered),
            (Found{"__wbindgen_malloc=__wbindgen_export_1",
                   "__wbindgen_realloc=__wbindgen_export_2",
                   "__wbindgen_free=__wbindgen_export_3"}));
}

TEST(WasmBindgenGlue, ReadsNamedExportsAndDeferredFrees) {
  // brotli-wasm 3's glue: the table would find these names anyway; the glue agrees.
  EXPECT_EQ(bindings("const ptr0 = passArray8ToWasm0(buf, wasm.__wbindgen_malloc);\n"
                     "const ptr1 = passStringToWasm0(s, wasm.__wbindgen_malloc, "
                     "wasm.__wbindgen_realloc);\n"
                     "} finally { wasm.__wbindgen_free(deferred1_0, deferred1_1, 1); }\n",
                     {"__wbindgen_malloc", "__wbindgen_realloc", "__wbindgen_free"}),
            (Found{"__wbindgen_malloc=__wbindgen_malloc",
                   "__wbindgen_realloc=__wbindgen_realloc",
                   "__wbindgen_free=__wbindgen_free"}));
}

TEST(WasmBindgenGlue, IgnoresNamesThatAreNotFunctionExports) {
  EXPECT_EQ(bindings(kNumberedGlue, {"__wbindgen_export_3"}),
            (Found{"__wbindgen_free=__wbindgen_export_3"}));
  EXPECT_EQ(bindings(kNumberedGlue, {}), Found{});
}

TEST(WasmBindgenGlue, OnlyAllocatorShapedCallsCount) {
  // Not frees: two arguments, a length not multiplied by the alignment, a non-literal alignment.
  EXPECT_EQ(bindings("wasm.a(r0, r1);\nwasm.b(r0, r1 * 4, 1);\nwasm.c(r0, r1, align);\n"
                     "other.wasm.d(r0, r1, 1);\nmywasm.e(r0, r1, 1);\n",
                     {"a", "b", "c", "d", "e"}),
            Found{});
  // Not an allocator: a helper other than pass*ToWasm0, or its own definition.
  EXPECT_EQ(bindings("const p = copyToWasm0(x, wasm.f);\n"
                     "function passStringToWasm0(arg, malloc, realloc) {}\n",
                     {"f"}),
            Found{});
}

TEST(WasmBindgenGlue, ARoleBoundToTwoExportsIsAmbiguous) {
  EXPECT_EQ(bindings("passArray8ToWasm0(a, wasm.m1);\npassArray8ToWasm0(b, wasm.m2);\n"
                     "wasm.f(r0, r1 * 1, 1);\n",
                     {"m1", "m2", "f"}),
            (Found{"__wbindgen_free=f", "__wbindgen_malloc?"}));
}

TEST(WasmBindgenGlue, SurvivesTruncatedAndStrangeText) {
  EXPECT_EQ(bindings("passStringToWasm0(text, wasm.__wbindgen_export_1", kNumbered), Found{});
  EXPECT_EQ(bindings("wasm.__wbindgen_export_3(", kNumbered), Found{});
  EXPECT_EQ(bindings("wasm.", kNumbered), Found{});
  EXPECT_EQ(bindings("ToWasm0(", kNumbered), Found{});
  EXPECT_EQ(bindings("passStringToWasm0('a)', wasm.__wbindgen_export_1)", kNumbered), Found{});
}

} // namespace
} // namespace viewsan
