#include "module-context.h"

#include "hook-names.h"

#include <wasm.h>

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

ModuleContext::ModuleContext(BinaryenModuleRef module, const ModuleScan& scan)
  : module_(module), scan_(scan) {
  for (BinaryenIndex i = 0; i < BinaryenGetNumFunctions(module); ++i) {
    BinaryenFunctionRef function = BinaryenGetFunctionByIndex(module, i);
    functions_.push_back(function);
    indexByName_.emplace(BinaryenFunctionGetName(function), i);
  }
  code_ = functions_;
  for (BinaryenIndex i = 0; i < BinaryenGetNumExports(module); ++i) {
    BinaryenExportRef exported = BinaryenGetExportByIndex(module, i);
    if (BinaryenExportGetKind(exported) != BinaryenExternalFunction()) {
      continue;
    }
    if (std::optional<uint32_t> index = indexOf(BinaryenExportGetValue(exported))) {
      exportNames_[*index].push_back(BinaryenExportGetName(exported));
    }
  }
}

BinaryenType ModuleContext::addressType() const {
  return scan_.memory64 ? BinaryenTypeInt64() : BinaryenTypeInt32();
}

const char* ModuleContext::memoryName() const {
  // Binaryen's names are interned and null-terminated.
  return module_->memories.empty() ? nullptr : module_->memories[0]->name.str.data();
}

std::optional<uint32_t> ModuleContext::indexOf(std::string_view internalName) const {
  auto found = indexByName_.find(internalName);
  if (found == indexByName_.end()) {
    return std::nullopt;
  }
  return found->second;
}

const std::vector<std::string>& ModuleContext::exportNames(uint32_t index) const {
  static const std::vector<std::string> none;
  auto found = exportNames_.find(index);
  return found == exportNames_.end() ? none : found->second;
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
  return BinaryenFunctionGetName(functions_[index]);
}

const char* ModuleContext::hook(Hook hook) {
  auto found = hookNames_.find(hook);
  if (found != hookNames_.end()) {
    return found->second.c_str();
  }
  HookSignature signature = signatureOf(hook);
  std::string base = std::string(signature.name) + (scan_.memory64 ? kMemory64Suffix : "");
  std::string name = freshName(std::string(kHookModule) + "." + base);
  std::vector<BinaryenType> params(signature.addressParams, addressType());
  params.push_back(BinaryenTypeInt32());
  BinaryenAddFunctionImport(module_,
                            name.c_str(),
                            kHookModule,
                            base.c_str(),
                            BinaryenTypeCreate(params.data(), BinaryenIndex(params.size())),
                            BinaryenTypeNone());
  return hookNames_.emplace(hook, name).first->second.c_str();
}

std::string ModuleContext::freshName(const std::string& base) const {
  std::string name = base;
  for (int suffix = 1;
       BinaryenGetFunction(module_, name.c_str()) || BinaryenGetGlobal(module_, name.c_str());
       ++suffix) {
    name = base + "." + std::to_string(suffix);
  }
  return name;
}

} // namespace viewsan
