// What the passes share about the module they instrument: its functions by index as read, the
// names to show for them, its address type, and the hook imports added so far.

#pragma once

#include "binary-scan.h"

#include <wasm.h>

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
  ModuleContext(wasm::Module& module, const ModuleScan& scan);

  wasm::Module& module() const { return module_; }
  const ModuleScan& scan() const { return scan_; }
  // The type of pointers, sizes and page counts: i32, or i64 in a memory64 module.
  wasm::Type addressType() const;
  // The memory whose growth and allocations the hooks report: the module's first (null if it has
  // none). A memory.grow of any other memory is left alone.
  wasm::Name memoryName() const;

  // Functions by their index in the input module, imports first.
  uint32_t numFunctions() const { return uint32_t(functions_.size()); }
  wasm::Function* function(uint32_t index) const { return functions_[index]; }
  uint32_t numImportedFunctions() const { return importedFunctions_; }
  bool isImported(uint32_t index) const { return index < importedFunctions_; }
  bool isMemory64() const { return memory64_; }
  std::optional<uint32_t> indexOf(wasm::Name internalName) const;

  // The function holding the code of function `index`: itself, until a pass moves its body.
  wasm::Function* codeOf(uint32_t index) const { return code_[index]; }
  void setCodeOf(uint32_t index, wasm::Function* holder);
  // The input function whose code `holder` holds, if it holds any.
  std::optional<uint32_t> indexOfCode(wasm::Function* holder) const;

  const std::vector<std::string>& exportNames(uint32_t index) const;
  // Names function `index` by its export `name` first, when it has that export: an allocator
  // that identical code folding merged with other functions (a C++ operator delete and a
  // deleting destructor) is exported under each of their names, its own among them.
  void preferExportName(uint32_t index, const std::string& name);
  const std::string* nameSectionName(uint32_t index) const;
  // How sites and listings name a function: its name-section name, else its first export name,
  // else func[N], N being its index in the instrumented module, where stack traces and
  // disassemblers see it: hook imports come before every defined function, so ask once the
  // passes have run.
  std::string displayName(uint32_t index) const;
  // A readable stem for the names of functions made from function `index`.
  std::string stemName(uint32_t index) const;

  // Functions whose code a pass added or changed other than by redirecting a call to a function
  // of the same type plus an i32 (passes/instrument-allocators.cpp). Only these need validating
  // again.
  void markChanged(wasm::Function* function) { changed_.insert(function); }
  const std::unordered_set<wasm::Function*>& changed() const { return changed_; }

  // The internal name of a hook's import, which is added on first use.
  wasm::Name hook(Hook hook);
  // `base`, or `base` with a numeric suffix, so that no function or global has that name yet.
  wasm::Name freshName(const std::string& base) const;

private:
  wasm::Module& module_;
  const ModuleScan& scan_;
  uint32_t importedFunctions_ = 0;
  bool memory64_ = false;
  std::vector<wasm::Function*> functions_;
  std::vector<wasm::Function*> code_;
  std::unordered_map<wasm::Name, uint32_t> indexByName_;
  std::unordered_map<wasm::Function*, uint32_t> indexByCode_;
  std::map<uint32_t, std::vector<std::string>> exportNames_;
  std::map<Hook, wasm::Name> hookNames_;
  std::unordered_set<wasm::Function*> changed_;
};

} // namespace viewsan
