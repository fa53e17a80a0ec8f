// The one walk over the module's code that every pass's rewrites share.

#include "passes/passes.h"

namespace viewsan {

void rewriteCode(ModuleContext& context,
                 AllocatorHooks& allocators,
                 MemoryGrowHooks& grows,
                 CallGraph& graph,
                 WalkStats& stats) {
  const BinaryenExpressionId callId = BinaryenCallId(), growId = BinaryenMemoryGrowId(),
                             refFuncId = BinaryenRefFuncId();
  for (uint32_t index = context.scan().importedFunctions; index < context.numFunctions(); ++index) {
    BinaryenFunctionRef code = context.codeOf(index);
    bool changed = false;
    auto visit = [&](BinaryenExpressionRef expression) -> BinaryenExpressionRef {
      BinaryenExpressionId id = BinaryenExpressionGetId(expression);
      if (id == callId) {
        // Before the rewrite sends it to a hooked wrapper, which has no input index.
        if (std::optional<uint32_t> callee = context.indexOf(BinaryenCallGetTarget(expression))) {
          graph.callees[index].push_back(*callee);
        }
        changed |= allocators.rewriteCall(expression, index);
      } else if (id == growId) {
        graph.grows[index] = true;
        changed = true;
        return grows.rewriteGrow(expression, index);
      } else if (id == refFuncId) {
        if (std::optional<uint32_t> target = context.indexOf(BinaryenRefFuncGetFunc(expression))) {
          graph.referenced.push_back(*target);
        }
      }
      return nullptr;
    };
    walkFunction(code, visit, &stats);
    if (changed) {
      context.markChanged(code);
    }
  }
}

} // namespace viewsan
