// The one walk over the module's code that every pass's rewrites share.

#include "passes/passes.h"

namespace viewsan {

void rewriteCode(ModuleContext& context,
                 AllocatorHooks& allocators,
                 MemoryGrowHooks& grows,
                 WalkStats& stats) {
  const BinaryenExpressionId callId = BinaryenCallId(), growId = BinaryenMemoryGrowId();
  for (uint32_t index = context.scan().importedFunctions; index < context.numFunctions(); ++index) {
    BinaryenFunctionRef code = context.codeOf(index);
    bool changed = false;
    auto visit = [&](BinaryenExpressionRef expression) -> BinaryenExpressionRef {
      BinaryenExpressionId id = BinaryenExpressionGetId(expression);
      if (id == callId) {
        changed |= allocators.rewriteCall(expression, index);
      } else if (id == growId) {
        changed = true;
        return grows.rewriteGrow(expression, index);
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
