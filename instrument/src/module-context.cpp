#include "module-context.h"

#include "hook-names.h"

#include <wasm-builder.h>

#include <algorithm>

namespace viewsan {

namespace {

struct HookSignature {
  const char* name;
  // Parameters before the trailing i32 site, all of the address type.
  int addressParams;
};

HookSignature signatureOf(Hook hook) {
  switch (hook) {
    case Hook::Alloc:
      return {kAllocHook, 2};
    case Hook::Free:
      return {kFreeHook, 1};
    case Hook::Realloc:
      return {kReallocHook, 3};
    case Hook::GrowBegin:
      return {kGrowBeginHook, 1};
    case Hook::GrowEnd:
      return {kGrowEndHook, 2};
  }
  return {"", 0};
}

} // namespace

ModuleContext::ModuleContext(wasm::Module& module, const ModuleScan& scan)
  : module_(module), scan_(scan) {
  // Binaryen keeps a module's functions in index order, imports first.
  for (const auto& function : module.functions) {
    importedFunctions_ += function->imported();
    indexByName_.emplace(function->name, uint32_t(functions_.size()));
    indexByCode_.emplace(function.get(), uint32_t(functions_.size()));
    functions_.push_back(function.get());
  }
  code_ = functions_;
  memory64_ = !module.memories.empty() && module.memories[0]->is64();
  for (const auto& exported : module.exports) {
    if (exported->kind != wasm::ExternalKind::Function) {
      continue;
    }
    if (std::optional<uint32_t> index = indexOf(*exported->getInternalName())) {
      exportNames_[*index].push_back(exported->name.toString());
    }
  }
}

wasm::Type ModuleContext::addressType() const {
  return memory64_ ? wasm::Type::i64 : wasm::Type::i32;
}

wasm::Name ModuleContext::memoryName() const {
  return module_.memories.empty() ? wasm::Name() : module_.memories[0]->name;
}

std::optional<uint32_t> ModuleContext::indexOf(wasm::Name internalName) const {
  auto found = indexByName_.find(internalName);
  if (found == indexByName_.end()) {
    return std::nullopt;
  }
  return found->second;
}

void ModuleContext::setCodeOf(uint32_t index, wasm::Function* holder) {
  indexByCode_.erase(code_[index]);
  code_[index] = holder;
  indexByCode_[holder] = index;
}

std::optional<uint32_t> ModuleContext::indexOfCode(wasm::Function* holder) const {
  auto found = indexByCode_.find(holder);
  if (found == indexByCode_.end()) {
    return std::nullopt;
  }
  return found->second;
}

const std::vector<std::string>& ModuleContext::exportNames(uint32_t index) const {
  static const std::vector<std::string> none;
  auto found = exportNames_.find(index);
  return found == exportNames_.end() ? none : found->second;
}

void ModuleContext::preferExportName(uint32_t index, const std::string& name) {
  auto found = exportNames_.find(index);
  if (found == exportNames_.end()) {
    return;
  }
  std::vector<std::string>& names = found->second;
  auto named = std::find(names.begin(), names.end(), name);
  if (named != names.end()) {
    std::rotate(names.begin(), named, named + 1);
  }
}

const std::string* ModuleContext::nameSectionName(uint32_t index) const {
  auto found = scan_.functionNames.find(index);
  return found == scan_.functionNames.end() ? nullptr : &found->second;
}

std::string ModuleContext::displayName(uint32_t index) const {
  if (const std::string* name = nameSectionName(index)) {
    return *name;
  }
  if (!exportNames(index).empty()) {
    return exportNames(index).front();
  }
  uint32_t outputIndex = isImported(index) ? index : index + uint32_t(hookNames_.size());
  return "func[" + std::to_string(outputIndex) + "]";
}

std::string ModuleContext::stemName(uint32_t index) const {
  if (const std::string* name = nameSectionName(index)) {
    return *name;
  }
  if (!exportNames(index).empty()) {
    return exportNames(index).front();
  }
  return functions_[index]->name.toString();
}

wasm::Name ModuleContext::hook(Hook hook) {
  auto found = hookNames_.find(hook);
  if (found != hookNames_.end()) {
    return found->second;
  }
  HookSignature signature = signatureOf(hook);
  std::string base = std::string(signature.name) + (memory64_ ? kMemory64Suffix : "");
  wasm::Name name = freshName(std::string(kHookModule) + "." + base);
  std::vector<wasm::Type> params(signature.addressParams, addressType());
  params.push_back(wasm::Type::i32);
  // Imports are of an inexact function type: an exact one needs custom descriptors.
  auto import = wasm::Builder::makeFunction(
    name,
    wasm::Type(wasm::Signature(wasm::Type(params), wasm::Type::none), wasm::NonNullable, wasm::Inexact),
    {});
  import->module = kHookModule;
  import->base = base;
  module_.addFunction(std::move(import));
  return hookNames_.emplace(hook, name).first->second;
}

wasm::Name ModuleContext::freshName(const std::string& base) const {
  std::string name = base;
  for (int suffix = 1; module_.getFunctionOrNull(name) || module_.getGlobalOrNull(name); ++suffix) {
    name = base + "." + std::to_string(suffix);
  }
  return name;
}

} // namespace viewsan
