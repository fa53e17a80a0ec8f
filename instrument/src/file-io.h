// Whole-file reads and all-or-nothing writes.

#pragma once

#include <string>
#include <string_view>

namespace viewsan {

// Returns false and sets `error` (from errno) when the file cannot be read.
bool readFile(const std::string& path, std::string& contents, std::string& error);

// Writes `contents` to a temporary file in the directory of `path`, then renames it over
// `path`: a failure at any point leaves `path` as it was and no temporary file behind.
bool writeFileAtomically(const std::string& path, std::string_view contents, std::string& error);

} // namespace viewsan
