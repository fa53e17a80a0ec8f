#include "code-facts.h"

#include <ir/module-utils.h>
#include <wasm-traversal.h>

namespace viewsan {

namespace {

using wasm::Expression;

struct FunctionFacts {
  std::vector<uint32_t> callees;
  std::vector<uint32_t> referenced;
  bool grows = false;
  CodeUse use;
};

// Every kind of expression goes to visitExpression (UnifiedExpressionVisitor).
struct FactsCollector
  : public wasm::PostWalker<FactsCollector, wasm::UnifiedExpressionVisitor<FactsCollector>> {
  FactsCollector(const ModuleContext& context, FunctionFacts& facts)
    : context(context), facts(facts) {}

  void visitExpression(Expression* expression) {
    switch (expression->_id) {
      case Expression::CallId:
        if (auto callee = context.indexOf(expression->cast<wasm::Call>()->target)) {
          facts.callees.push_back(*callee);
        }
        break;
      case Expression::RefFuncId:
        facts.use.refFunc = true;
        if (auto target = context.indexOf(expression->cast<wasm::RefFunc>()->func)) {
          facts.referenced.push_back(*target);
        }
        break;
      case Expression::MemoryGrowId:
        facts.grows |= expression->cast<wasm::MemoryGrow>()->memory == context.memoryName();
        break;
      default:
        facts.use.gc |= isGC(expression);
        facts.use.customDescriptors |= usesDescriptors(expression);
        facts.use.strings |= expression->_id >= Expression::StringNewId &&
                             expression->_id <= Expression::StringSliceWTFId;
    }
  }

  // The instructions of GC and typed function references. ref.as_non_null needs only
  // reference types.
  static bool isGC(Expression* expression) {
    switch (expression->_id) {
      case Expression::RefI31Id:
      case Expression::I31GetId:
      case Expression::RefEqId:
      case Expression::CallRefId:
      case Expression::RefTestId:
      case Expression::RefCastId:
      case Expression::RefGetDescId:
      case Expression::BrOnId:
      case Expression::StructNewId:
      case Expression::StructGetId:
      case Expression::StructSetId:
      case Expression::StructRMWId:
      case Expression::StructCmpxchgId:
      case Expression::ArrayNewId:
      case Expression::ArrayNewDataId:
      case Expression::ArrayNewElemId:
      case Expression::ArrayNewFixedId:
      case Expression::ArrayGetId:
      case Expression::ArraySetId:
      case Expression::ArrayLenId:
      case Expression::ArrayCopyId:
      case Expression::ArrayFillId:
      case Expression::ArrayInitDataId:
      case Expression::ArrayInitElemId:
      case Expression::ArrayRMWId:
      case Expression::ArrayCmpxchgId:
        return true;
      case Expression::RefAsId:
        return expression->cast<wasm::RefAs>()->op != wasm::RefAsNonNull;
      default:
        return false;
    }
  }

  // The instructions of custom descriptors, whose exact types the writer keeps only with them.
  static bool usesDescriptors(Expression* expression) {
    switch (expression->_id) {
      case Expression::RefGetDescId:
        return true;
      case Expression::StructNewId:
        return expression->cast<wasm::StructNew>()->desc != nullptr;
      case Expression::RefCastId:
        return expression->cast<wasm::RefCast>()->desc != nullptr;
      case Expression::BrOnId: {
        wasm::BrOnOp op = expression->cast<wasm::BrOn>()->op;
        return op == wasm::BrOnCastDescEq || op == wasm::BrOnCastDescEqFail;
      }
      default:
        return false;
    }
  }

  const ModuleContext& context;
  FunctionFacts& facts;
};

} // namespace

CodeFacts collectCodeFacts(const ModuleContext& context) {
  wasm::Module& module = context.module();
  wasm::ModuleUtils::ParallelFunctionAnalysis<FunctionFacts> analysis(
    module, [&](wasm::Function* function, FunctionFacts& facts) {
      if (!function->imported()) {
        FactsCollector(context, facts).walk(function->body);
      }
    });

  CodeFacts result{CallGraph(context.numFunctions()), {}};
  CallGraph& graph = result.graph;
  auto merge = [&](const FunctionFacts& facts) {
    graph.entries.insert(graph.entries.end(), facts.referenced.begin(), facts.referenced.end());
    result.use |= facts.use;
  };
  for (uint32_t index = 0; index < context.numFunctions(); ++index) {
    FunctionFacts& facts = analysis.map[context.function(index)];
    graph.callees[index] = std::move(facts.callees);
    graph.grows[index] = facts.grows;
    merge(facts);
  }
  // Code outside functions: global initializers and segment offsets, and the items of element
  // segments, which put functions in tables or declare them.
  FunctionFacts outside;
  for (const auto& global : module.globals) {
    if (global->init) {
      FactsCollector(context, outside).walk(global->init);
    }
  }
  for (const auto& segment : module.elementSegments) {
    if (segment->offset) {
      FactsCollector(context, outside).walk(segment->offset);
    }
    // Not walked: a table of functions is no use of ref.func that needs reference types.
    for (Expression* item : segment->data) {
      if (auto* ref = item->dynCast<wasm::RefFunc>()) {
        if (auto target = context.indexOf(ref->func)) {
          graph.entries.push_back(*target);
        }
      } else if (!item->is<wasm::RefNull>()) {
        graph.anyFunctionIsEntry = true;
      }
    }
  }
  merge(outside);
  if (module.start) {
    if (auto start = context.indexOf(module.start)) {
      graph.entries.push_back(*start);
    }
  }
  return result;
}

} // namespace viewsan
