// Where each site is in the program's sources, for reports that say `twin.c:13:3` rather than a
// code offset: from the input module's DWARF (emcc or clang -g), with inlined frames, or from the
// source map it was read with. Located before the module is written, while the debug info still
// describes the input: Binaryen's writer then rewrites DWARF for the output.

#pragma once

#include "site-table.h"

#include <wasm.h>

namespace viewsan {

// Sets `source` on every site whose origin has a debug location. DWARF addresses are offsets
// from the start of the Code section's contents, as Binaryen records each input instruction's
// (Function::expressionLocations, present when the module was read with DWARF).
void locateSitesInSources(const wasm::Module& module, SiteTable& sites);

} // namespace viewsan
