// The one walk over the module's code that every pass's rewrites share.

#include "passes/passes.h"

#include <wasm.h>

namespace viewsan {

CodeUse rewriteCode(ModuleContext& context,
                    AllocatorHooks& allocators,
                    MemoryGrowHooks& grows,
                    CallGraph& graph) {
  using wasm::Expression;
  CodeUse use;
  for (uint32_t index = context.scan().importedFunctions; index < context.numFunctions(); ++index) {
    BinaryenFunctionRef code = context.codeOf(index);
    bool changed = false;
    auto visit = [&](BinaryenExpressionRef expression) -> BinaryenExpressionRef {
      Expression::Id id = expression->_id;
      if (id == Expression::CallId) {
        // Before the rewrite sends it to a hooked wrapper, which has no input index.
        if (std::optional<uint32_t> callee = context.indexOf(expression->cast<wasm::Call>()->target.view())) {
          graph.callees[index].push_back(*callee);
        }
        changed |= allocators.rewriteCall(expression, index);
      } else if (id == Expression::RefFuncId) {
        use.refFunc = true;
        if (std::optional<uint32_t> target = context.indexOf(expression->cast<wasm::RefFunc>()->func.view())) {
          graph.referenced.push_back(*target);
        }
      } else if (id == Expression::RefEqId || id == Expression::CallRefId ||
                 (id >= Expression::RefI31Id && id <= Expression::RefAsId)) {
        use.gc = true;
      } else if (id == Expression::MemoryGrowId) {
        graph.grows[index] = true;
        changed = true;
        return grows.rewriteGrow(expression, index);
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
