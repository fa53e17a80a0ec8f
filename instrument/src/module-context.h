// What the passes share about the module they instrument: its functions by index as read, the
// names to show for them, its address type, and the hook imports added so far.

#pragma once

#include "binary-scan.h"

#include <binaryen-c.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace viewsan {

enum class Hook { Alloc, Free, Realloc, GrowBegin, GrowEnd };

class ModuleContext {
public:
  ModuleContext(BinaryenModuleRef module, const ModuleScan& scan);

  BinaryenModuleRef module() const { return module_; }
  const ModuleScan& scan() const { return scan_; }
  // The type of pointers, sizes and page counts: i32, or i64 in a memory64 module.
  BinaryenType addressType() const;
  // The memory whose growth and allocations the hooks report: the module's first (null if it has
  // none). A memory.grow of any other memory is left alone.
  const char* memoryName() const;

  // Functions by their index in the input module, imports first.
  uint32_t numFunctions() const { return uint32_t(functions_.size()); }
  BinaryenFunctionRef function(uint32_t index) const { return functions_[index]; }
  bool isImported(uint32_t index) const { return index < scan_.importedFunctions; }
  std::optional<uint32_t> indexOf(std::string_view internalName) const;

  // The function holding the code of function `index`: itself, until a pass moves its body.
  BinaryenFunctionRef codeOf(uint32_t index) const { return code_[index]; }
  void setCodeOf(uint32_t index, BinaryenFunctionRef holder) { code_[index] = holder; }

  const std::vector<std::string>& exportNames(uint32_t index) const;
  const std::string* nameSectionName(uint32_t index) const;
  // How sites and listings name a function: its name-section name, else its first export name,
  // else func[N], N being its index in the instrumented module, where stack traces and
  // disassemblers see it: hook imports come before every defined function, so ask once the
  // passes have run.
  std::string displayName(uint32_t index) const;
  // A readable stem for the names of functions made from function `index`.
  std::string stemName(uint32_t index) const;

  // Functions whose code a pass added or changed. Only these need validating again, and only
  // they can hold site ids.
  void markChanged(BinaryenFunctionRef function) { changed_.insert(function); }
  const std::unordered_set<BinaryenFunctionRef>& changed() const { return changed_; }

  // The internal name of a hook's import, which is added on first use.
  const char* hook(Hook hook);
  // `base`, or `base` with a numeric suffix, so that no function or global has that name yet.
  std::string freshName(const std::string& base) const;

private:
  BinaryenModuleRef module_;
  const ModuleScan& scan_;
  std::vector<BinaryenFunctionRef> functions_;
  std::vector<BinaryenFunctionRef> code_;
  std::unordered_map<std::string_view, uint32_t> indexByName_;
  std::map<uint32_t, std::vector<std::string>> exportNames_;
  std::map<Hook, std::string> hookNames_;
  std::unordered_set<BinaryenFunctionRef> changed_;
};

} // namespace viewsan
