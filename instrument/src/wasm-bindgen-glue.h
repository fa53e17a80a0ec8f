// Reads wasm-bindgen's JS glue (foo_bg.js, or foo.js for the nodejs and web targets) for the
// exports behind its allocator.
//
// Older wasm-bindgen exports the allocator as __wbindgen_malloc, __wbindgen_realloc and
// __wbindgen_free, which the table knows. Newer releases export it under numbered names
// (__wbindgen_export_1, ...), and only the glue says which is which, by how it calls them:
//
//   const ptr0 = passStringToWasm0(text, wasm.__wbindgen_export_1, wasm.__wbindgen_export_2);
//   const ptr1 = passArray8ToWasm0(bytes, wasm.__wbindgen_export_1);
//   wasm.__wbindgen_export_3(r0, r1 * 4, 4);
//   wasm.__wbindgen_export_3(deferred1_0, deferred1_1, 1);
//
// The pass*ToWasm0 helpers take the allocating export, and passStringToWasm0 the reallocating one
// after it; a free is the only call the glue makes with a (pointer, length in bytes, alignment)
// triple, the alignment a number literal repeated as the length's factor. Each role bound to two
// different exports is ambiguous and left out.

#pragma once

#include "glue-binding.h"

#include <functional>
#include <string_view>

namespace viewsan {

// Bindings for "__wbindgen_malloc", "__wbindgen_realloc" and "__wbindgen_free". `isFunctionExport`
// says whether a name is the name of a function export of the module.
GlueReading readWasmBindgenGlue(std::string_view js,
                                const std::function<bool(std::string_view)>& isFunctionExport);

} // namespace viewsan
