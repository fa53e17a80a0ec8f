// The parts of the name section viewsan uses: the module's name and its functions' names.

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace viewsan {

struct NameSection {
  std::optional<std::string> moduleName;         // subsection 0
  std::map<uint32_t, std::string> functionNames; // subsection 1, by function index
};

// Reads the contents of a "name" custom section, after the section's own name. Returns nothing
// for a malformed one: names are debugging aids, and engines ignore a bad name section rather
// than reject the module.
std::optional<NameSection> readNameSection(std::string_view content);

} // namespace viewsan
