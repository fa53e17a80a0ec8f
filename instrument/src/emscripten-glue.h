// Reads an Emscripten JS glue file for the wasm export behind each C symbol it binds.
//
// Emscripten's glue gives every exported C function a JS name with a leading underscore
// (`_malloc`). In a minified build the wasm export behind it has a short name the minifier chose
// (sql.js 1.16 exports malloc as "Ia"), so only the glue says which export is the allocator. The
// glue binds the name with an assignment that reads the export from the exports object, in one
// of the forms Emscripten versions write:
//
//   var _malloc = Module["_malloc"] = function() {
//     return (_malloc = Module["_malloc"] = Module["asm"]["malloc"]).apply(null, arguments) };
//   var _malloc = Module["_malloc"] = (a0) =>
//     (_malloc = Module["_malloc"] = wasmExports["malloc"])(a0);
//   var Fb=a._malloc=function(){return(Fb=a._malloc=a.asm.Ub).apply(null,arguments)};
//   da=k._malloc=c.Ia;
//
// No JavaScript parser is needed: the reader finds each assignment to the symbol (as a name, a
// member `._malloc` or a subscript `["_malloc"]`), takes the rest of that statement, and keeps
// the property names and string literals in it that name a function export of the module. A
// symbol bound to two different exports is ambiguous and left out.

#pragma once

#include "glue-binding.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace viewsan {

// Finds the export bound to each of `symbols` in `js`. `isFunctionExport` says whether a name is
// the name of a function export of the module.
GlueReading readEmscriptenGlue(std::string_view js,
                               const std::vector<std::string>& symbols,
                               const std::function<bool(std::string_view)>& isFunctionExport);

} // namespace viewsan
