// Where each site ends up in the written binary.
//
// The C API cannot say at which byte an expression is written, but Binaryen's source map
// writer can. Each site's id constant gets a debug location in a file named after the sites
// section, with the site id as its line; the source map written with the binary then gives the
// byte offset of every id constant, and the call that passes the id starts right after it.

#pragma once

#include "site-table.h"

#include <binaryen-c.h>

#include <string_view>
#include <unordered_set>

namespace viewsan {

// Gives every site's id constant its debug location. `holders` are the functions the constants
// are in (the passes' changed functions; searching every function would cost as much as a pass).
// Binaryen prints debug locations in the text format, so only a module that is written as binary
// should be marked.
void markSiteConstants(BinaryenModuleRef module,
                       const SiteTable& sites,
                       const std::unordered_set<BinaryenFunctionRef>& holders);

// Sets the offset of each site found in `sourceMap` (as written by BinaryenModuleAllocateAndWrite
// for `binary`) whose bytes are the expected `i32.const <id>` followed by a call.
void readSiteOffsets(std::string_view sourceMap, std::string_view binary, SiteTable& sites);

} // namespace viewsan
