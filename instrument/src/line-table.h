// The custom section viewsan.lines: where each instruction of the written module is in the
// sources, for the runtime to name the wasm frames of JavaScript stacks (`at drop_pixels
// (twin.c:9:3)`) with no DWARF parser of its own. Made from the written module's DWARF, which
// Binaryen's writer updated to describe the instrumented code.
//
// UTF-8 JSON: {"version":1,"files":[...],"functions":[...],"rows":[row, ...]}. Rows are in the
// line tables' order; a row [offset, function, file, line, column, ...] says that the instructions
// from `offset` (in the module, as engines report wasm frames) on are at that source location,
// inlined into the frames that follow it in the same row (function, file, line, column each, the
// call that inlined the one before), until the next row; a row [offset] says that from there on
// the line table says nothing. function and file index the arrays; -1 is unknown.

#pragma once

#include <wasm.h>

#include <optional>
#include <string>
#include <string_view>

namespace viewsan {

inline constexpr const char* kLinesSection = "viewsan.lines";

// The section's contents for `module` just written as `binary`, or nothing when its DWARF
// describes no instruction.
std::optional<std::string> lineTableJson(const wasm::Module& module, std::string_view binary);

} // namespace viewsan
