#include "allocator-coverage.h"

#include <deque>
#include <optional>
#include <vector>

namespace viewsan {

namespace {

constexpr uint32_t kNone = UINT32_MAX;

bool isSbrk(const ModuleContext& context, uint32_t index) {
  const std::string* name = context.nameSectionName(index);
  return name && (*name == "sbrk" || *name == "__sbrk");
}

// Emscripten's heap grows through its JavaScript (the `emscripten_resize_heap` import), not a
// memory.grow of the module's: a function that calls it is the allocator's source of memory.
bool growsThroughHost(const ModuleContext& context, const CallGraph& graph, uint32_t index) {
  for (uint32_t callee : graph.callees[index]) {
    const std::string* name = context.isImported(callee) ? context.nameSectionName(callee) : nullptr;
    if (name && *name == "emscripten_resize_heap") {
      return true;
    }
  }
  return false;
}

// Why a function of the allocator's implementation is one, for the listing.
std::string implementationKind(const ModuleContext& context, const CallGraph& graph, uint32_t index) {
  if (graph.grows[index]) {
    return " (which grows memory)";
  }
  return growsThroughHost(context, graph, index) ? " (which grows memory through emscripten_resize_heap)"
                                                 : " (part of the allocator)";
}

// "f, reached from export \"e\" through g and h": the path the search took to `index`.
std::string describePath(const ModuleContext& context,
                         const std::vector<uint32_t>& from,
                         uint32_t index) {
  std::vector<uint32_t> path;
  for (uint32_t at = index; at != kNone; at = from[at]) {
    path.push_back(at);
  }
  const uint32_t entry = path.back();
  std::string how = context.exportNames(entry).empty()
                      ? "entry point " + context.displayName(entry)
                      : "export \"" + context.exportNames(entry).front() + "\"";
  std::string text = "reached from " + how;
  if (path.size() > 2) {
    text += " through";
    for (size_t i = path.size() - 2; i >= 1; --i) {
      text += (i == path.size() - 2 ? " " : ", ") + context.displayName(path[i]);
    }
  }
  return text;
}

} // namespace

CoverageJudgement judgeCoverage(const ModuleContext& context,
                                const AllocatorDiscovery& allocators,
                                const CallGraph& graph) {
  CoverageJudgement partial;
  if (!context.scan().hasNameSection) {
    partial.reason = "no name section: an entry point of the allocator may have no name to find";
    return partial;
  }
  const uint32_t numFunctions = context.numFunctions();
  std::vector<bool> hooked(numFunctions, false), implementation(numFunctions, false);
  bool allocates = false, frees = false;
  for (const Allocator& allocator : allocators.hooked) {
    hooked[allocator.index] = implementation[allocator.index] = true;
    (allocator.spec.role == AllocRole::Free ? frees : allocates) = true;
  }
  if (!allocates || !frees) {
    partial.reason = allocates ? "no freeing function is hooked" : "no allocating function is hooked";
    return partial;
  }
  // Code that allocates through a hooked function must free through one too. A module whose only
  // hooked free is an export that JavaScript calls (a wasm-bindgen __wbindgen_free whose callee
  // was not found) frees what its own code allocates out of the hooks' sight.
  std::vector<bool> reachedByCode(numFunctions, graph.anyFunctionIsEntry);
  for (uint32_t index = 0; index < numFunctions; ++index) {
    for (uint32_t callee : graph.callees[index]) {
      if (callee < numFunctions) {
        reachedByCode[callee] = true;
      }
    }
  }
  for (uint32_t index : graph.entries) {
    if (index < numFunctions) {
      reachedByCode[index] = true;
    }
  }
  const Allocator* codeAllocates = nullptr;
  const Allocator* exportedFree = nullptr;
  bool codeFrees = false;
  for (const Allocator& allocator : allocators.hooked) {
    const bool reached = reachedByCode[allocator.index];
    if (allocator.spec.role == AllocRole::Free) {
      codeFrees |= reached;
      exportedFree = reached ? exportedFree : &allocator;
    } else if (reached && !codeAllocates) {
      codeAllocates = &allocator;
    }
  }
  if (codeAllocates && !codeFrees) {
    partial.reason = "the module's code allocates through " + context.displayName(codeAllocates->index) +
                     " but calls no hooked freeing function (" + context.displayName(exportedFree->index) +
                     " is only entered from outside)";
    return partial;
  }
  if (!allocators.unhooked.empty()) {
    const UnhookedAllocator& first = allocators.unhooked.front();
    partial.reason = context.displayName(first.index) + " is not hooked: " + first.reason;
    return partial;
  }
  for (uint32_t index = 0; index < numFunctions; ++index) {
    if (graph.grows[index] || isSbrk(context, index) || growsThroughHost(context, graph, index)) {
      implementation[index] = true;
    }
  }

  // Breadth first from the entry points, never through a hooked function.
  std::vector<uint32_t> from(numFunctions, kNone);
  std::vector<bool> seen(numFunctions, false);
  std::deque<uint32_t> queue;
  // `caller` is the function the search came from, kNone for an entry point.
  auto enter = [&](uint32_t index, uint32_t caller = kNone) {
    if (index < numFunctions && !seen[index] && !hooked[index] && !context.isImported(index)) {
      seen[index] = true;
      from[index] = caller;
      queue.push_back(index);
    }
  };
  for (uint32_t index = 0; index < numFunctions; ++index) {
    if (!context.exportNames(index).empty() || graph.anyFunctionIsEntry) {
      enter(index);
    }
  }
  for (uint32_t index : graph.entries) {
    enter(index);
  }
  while (!queue.empty()) {
    const uint32_t index = queue.front();
    queue.pop_front();
    if (implementation[index]) {
      partial.reason = context.displayName(index) + implementationKind(context, graph, index) + " is " +
                       describePath(context, from, index) + " without passing a hook";
      return partial;
    }
    for (uint32_t callee : graph.callees[index]) {
      enter(callee, index);
    }
  }
  return {Coverage::Complete, ""};
}

} // namespace viewsan
