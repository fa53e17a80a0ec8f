// The one walk over the module's code that every pass's rewrites share.

#include "passes/passes.h"

#include <wasm.h>

namespace viewsan {

CodeUse rewriteCode(ModuleContext& context, AllocatorHooks& allocators, MemoryGrowHooks& grows) {
  using wasm::Expression;
  CodeUse use;
  for (uint32_t index = context.scan().importedFunctions; index < context.numFunctions(); ++index) {
    BinaryenFunctionRef code = context.codeOf(index);
    bool changed = false;
    auto visit = [&](BinaryenExpressionRef expression) -> BinaryenExpressionRef {
      Expression::Id id = expression->_id;
      if (id == Expression::CallId) {
        changed |= allocators.rewriteCall(expression, index);
      } else if (id == Expression::RefFuncId) {
        use.refFunc = true;
      } else if (id == Expression::RefEqId || id == Expression::CallRefId ||
                 (id >= Expression::RefI31Id && id <= Expression::RefAsId)) {
        use.gc = true;
      } else if (id == Expression::MemoryGrowId) {
        BinaryenExpressionRef call = grows.rewriteGrow(expression, index);
        changed |= call != nullptr;
        return call;
      }
      return nullptr;
    };
    walkFunction(code, visit);
    if (changed) {
      context.markChanged(code);
    }
  }
  return use;
}

} // namespace viewsan
