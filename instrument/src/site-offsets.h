// Where each site ends up in the written binary.
//
// Binaryen's writer records where each expression went only in functions read with DWARF, but
// its source map writer records every expression that has a debug location. Each site's id constant gets a debug location in a file named after the sites
// section, with the site id as its line; the source map written with the binary then gives the
// byte offset of every id constant, and the call that passes the id starts right after it.
// When the module has a source map of its own, the sites file comes after its files, and the
// map written for the user is the same map without it (sourceMapWithoutFile).

#pragma once

#include "site-table.h"

#include <wasm.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace viewsan {

// Gives every site's id constant its debug location. Binaryen prints debug locations in the
// text format, so only a module that is written as binary should be marked. Returns the index of
// the sites file among the module's debug files, or nothing when there is no site.
std::optional<uint32_t> markSiteConstants(wasm::Module& module, const SiteTable& sites);

// Sets the offset of each site found in `sourceMap` (as Binaryen's writer writes it for
// `binary`) whose bytes are the expected `i32.const <id>` followed by a call. Only the
// locations in `sitesFile` are sites.
void readSiteOffsets(std::string_view sourceMap,
                     std::string_view binary,
                     SiteTable& sites,
                     std::optional<uint32_t> sitesFile);

// `sourceMap` (as Binaryen writes it) without the last of its sources, `file`, and without the
// locations in it: the bytes those described map to what precedes them. Returns nothing when
// the map is not as Binaryen writes it.
std::optional<std::string> sourceMapWithoutFile(std::string_view sourceMap, uint32_t file);

} // namespace viewsan
