// The custom section viewsan.lines: where each instruction of the written module is in the
// sources, for the runtime to name the wasm frames of JavaScript stacks (`at drop_pixels
// (twin.c:9:3)`) with no DWARF or source map parser of its own. Made from the written module's
// DWARF, which Binaryen's writer updated to describe the instrumented code; a module with no
// DWARF that describes its code gets it from the source map Binaryen's writer wrote with it
// (from the input's map), which has no inlining: there each row is one frame, named after the
// wasm function the instruction is in, as the engine names it.
//
// UTF-8 JSON: {"version":1,"files":[...],"functions":[...],"rows":[row, ...]}. Rows are in the
// line tables' (or the map's) order; a row [offset, function, file, line, column, ...] says that
// the instructions from `offset` (in the module, as engines report wasm frames) on are at that
// source location, inlined into the frames that follow it in the same row (function, file,
// line, column each, the call that inlined the one before), until the next row; a row [offset]
// says that from there on the line table (or the map) says nothing. function and file index the
// arrays; -1 is unknown. Lines and columns count from 1.

#pragma once

#include <wasm.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace viewsan {

inline constexpr const char* kLinesSection = "viewsan.lines";

// The section's contents for `module` just written as `binary` with `sourceMap`, or nothing when
// neither its DWARF nor the map describes an instruction. The map's locations in `ignoredFile`
// are not the program's (site-offsets.h): the bytes they describe belong with what precedes them.
std::optional<std::string> lineTableJson(const wasm::Module& module,
                                         std::string_view binary,
                                         std::string_view sourceMap,
                                         std::optional<uint32_t> ignoredFile = std::nullopt);

} // namespace viewsan
