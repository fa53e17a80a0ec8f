#include "allocator-discovery.h"

#include "rust-symbols.h"

#include <algorithm>
#include <map>

namespace viewsan {

namespace {

struct Candidate {
  AllocatorSpec spec;
  std::string foundBy;
  bool requested; // named by a flag or a glue binding rather than found in the table
  // How an error names the request: "--alloc arena_alloc", "--emscripten-glue _malloc".
  std::string request;
};

std::string flagOf(AllocRole role) {
  return std::string("--") + roleName(role);
}

std::string typeName(wasm::Type type) {
  if (type.isTuple()) {
    return "a tuple";
  }
  if (type == wasm::Type::none || type.isNumber()) {
    return type.toString();
  }
  return "a reference or vector";
}

} // namespace

std::optional<std::string>
allocatorSignatureProblem(const ModuleContext& context, uint32_t index, const AllocatorSpec& spec) {
  const wasm::Signature sig = context.function(index)->getSig();
  const std::vector<wasm::Type> params(sig.params.begin(), sig.params.end());
  const wasm::Type address = context.addressType();
  for (int position : {spec.args.ptr, spec.args.size, spec.args.count, spec.args.out}) {
    if (position < 0) {
      continue;
    }
    if (size_t(position) >= params.size()) {
      return "it has " + std::to_string(params.size()) +
             (params.size() == 1 ? " parameter" : " parameters") + ", too few for " +
             formatPositions(spec.args);
    }
    if (params[position] != address) {
      return "parameter " + std::to_string(position) + " is " + typeName(params[position]) +
             ", not " + typeName(address);
    }
  }
  const wasm::Type results = sig.results;
  if (spec.args.out >= 0) {
    if (results != wasm::Type::i32) {
      return "it returns " + typeName(results) + ", not an i32 status";
    }
  } else if (spec.role != AllocRole::Free && results != address) {
    return "it returns " + typeName(results) + ", not an " + typeName(address) + " pointer";
  }
  if (results.isTuple()) {
    return "it returns more than one value";
  }
  return std::nullopt;
}

namespace {

// Function indices, each with how it matched a name.
using Matches = std::vector<std::pair<uint32_t, std::string>>;

class Discovery {
public:
  explicit Discovery(const ModuleContext& context) : context_(context) {
    for (uint32_t index = 0; index < context.numFunctions(); ++index) {
      for (const std::string& name : context.exportNames(index)) {
        byName_.emplace(name, std::make_pair(index, "export \"" + name + "\""));
      }
    }
    for (const auto& [index, name] : context.scan().functionNames) {
      byName_.emplace(name, std::make_pair(index, "name \"" + name + "\""));
      // Rust's allocator shims are mangled items of the `__rustc` crate since Rust 1.89.
      if (std::optional<std::string> item = rustcItemName(name)) {
        byName_.emplace(*item, std::make_pair(index, "name \"" + name + "\" (__rustc::" + *item + ")"));
      }
    }
  }

  AllocatorDiscovery run(const std::vector<AllocatorSpec>& requested,
                         const std::vector<GlueBinding>& glue);

private:
  // Every function with `name` as an export or name-section name, with how it matched.
  Matches find(const std::string& name) const {
    Matches found;
    auto range = byName_.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) {
      found.push_back(it->second);
    }
    return found;
  }

  void decide(uint32_t index, const std::vector<Candidate>& candidates);

  const ModuleContext& context_;
  std::multimap<std::string, std::pair<uint32_t, std::string>> byName_;
  AllocatorDiscovery result_;
};

AllocatorDiscovery Discovery::run(const std::vector<AllocatorSpec>& requested,
                                  const std::vector<GlueBinding>& glue) {
  std::map<uint32_t, std::vector<Candidate>> candidates;
  for (const AllocatorSpec& spec : requested) {
    std::string request = flagOf(spec.role) + " " + spec.name;
    auto found = find(spec.name);
    if (found.empty()) {
      result_.error = request + ": no function has this export name or name-section name";
      return std::move(result_);
    }
    for (auto& [index, how] : found) {
      candidates[index].push_back({spec, how, true, request});
    }
  }
  // A glue binding stands for one of the table's allocators, bound to an export.
  for (const GlueBinding& binding : glue) {
    for (const KnownAllocator& known : knownAllocators()) {
      if (binding.allocator != known.name) {
        continue;
      }
      std::string how = "glue \"" + binding.symbol + "\" (export \"" + binding.exportName + "\")";
      for (uint32_t index = 0; index < context_.numFunctions(); ++index) {
        const std::vector<std::string>& names = context_.exportNames(index);
        if (std::find(names.begin(), names.end(), binding.exportName) != names.end()) {
          candidates[index].push_back({{binding.exportName, known.role, known.args},
                                       how,
                                       true,
                                       binding.flag + " " + binding.symbol});
        }
      }
    }
  }
  for (const KnownAllocator& known : knownAllocators()) {
    for (const char* name : {known.name, known.demangled}) {
      for (auto& [index, how] : name ? find(name) : Matches()) {
        candidates[index].push_back({{known.name, known.role, known.args}, how, false, ""});
      }
    }
  }
  for (const auto& [index, list] : candidates) {
    decide(index, list);
    if (result_.error) {
      break;
    }
  }
  return std::move(result_);
}

void Discovery::decide(uint32_t index, const std::vector<Candidate>& candidates) {
  // A flag overrides a glue binding, which overrides the table; otherwise the table's first
  // matching entry decides. Flags come first in the list, then glue bindings.
  auto chosen = std::find_if(
    candidates.begin(), candidates.end(), [](const Candidate& c) { return c.requested; });
  if (chosen == candidates.end()) {
    chosen = candidates.begin();
  }
  std::optional<std::string> problem;
  if (context_.isImported(index)) {
    problem = "it is imported; only functions defined in the module can be wrapped";
  } else {
    problem = allocatorSignatureProblem(context_, index, chosen->spec);
  }
  if (problem && chosen->requested) {
    result_.error = chosen->request + ": " + *problem;
    return;
  }
  if (problem) {
    result_.unhooked.push_back({index, *problem});
    return;
  }
  Allocator allocator{index, chosen->spec, {}, chosen->requested, std::nullopt, {}};
  for (const Candidate& candidate : candidates) {
    if (std::find(allocator.foundBy.begin(), allocator.foundBy.end(), candidate.foundBy) ==
        allocator.foundBy.end()) {
      allocator.foundBy.push_back(candidate.foundBy);
    }
  }
  result_.hooked.push_back(std::move(allocator));
}

} // namespace

AllocatorDiscovery discoverAllocators(const ModuleContext& context,
                                      const std::vector<AllocatorSpec>& requested,
                                      const std::vector<GlueBinding>& glue) {
  return Discovery(context).run(requested, glue);
}

} // namespace viewsan
