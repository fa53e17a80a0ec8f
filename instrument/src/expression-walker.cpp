#include "expression-walker.h"

#include <wasm-traversal.h>
#include <wasm.h>

namespace viewsan {

namespace detail {

// Every kind of expression goes to visitExpression (UnifiedExpressionVisitor). The walker keeps
// its own stack of work, so deeply nested code cannot exhaust the native one.
struct CallbackWalker
  : public wasm::PostWalker<CallbackWalker, wasm::UnifiedExpressionVisitor<CallbackWalker>> {
  explicit CallbackWalker(const ExpressionVisitor& visit) : visit(visit) {}

  void visitExpression(wasm::Expression* expression) {
    if (wasm::Expression* replacement = visit(expression)) {
      replaceCurrent(replacement);
    }
  }

  const ExpressionVisitor& visit;
};

} // namespace detail

using detail::CallbackWalker;

BinaryenExpressionRef walkExpressions(BinaryenExpressionRef root, const ExpressionVisitor& visit) {
  if (!root) {
    return root;
  }
  wasm::Expression* walked = root;
  CallbackWalker walker(visit);
  walker.walk(walked);
  return walked;
}

void walkFunction(BinaryenFunctionRef function, const ExpressionVisitor& visit) {
  if (!function->body) {
    return;
  }
  // Not walkFunction(): with a current function, replaceCurrent would copy the replaced
  // expression's debug location to its replacement. The locations the output has are the site
  // constants' alone (site-offsets.h).
  CallbackWalker walker(visit);
  walker.walk(function->body);
}

} // namespace viewsan
