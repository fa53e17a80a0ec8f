#include "expression-walker.h"

#include <wasm-traversal.h>
#include <wasm.h>

namespace viewsan {

namespace detail {

// Every kind of expression goes to visitExpression (UnifiedExpressionVisitor). The walker keeps
// its own stack of work, so deeply nested code cannot exhaust the native one.
struct CallbackWalker
  : public wasm::PostWalker<CallbackWalker, wasm::UnifiedExpressionVisitor<CallbackWalker>> {
  explicit CallbackWalker(const ExpressionVisitor& visit, wasm::Function* function = nullptr)
    : visit(visit), function(function) {}

  void visitExpression(wasm::Expression* expression) {
    if (wasm::Expression* replacement = visit(expression)) {
      replaceCurrent(replacement);
      if (function) {
        keepLocations(expression, replacement);
      }
    }
  }

  // A replacement stands where the replaced expression was: it takes its source location, and
  // its place in the input binary, by which Binaryen's writer updates DWARF's line table.
  void keepLocations(wasm::Expression* replaced, wasm::Expression* replacement) {
    auto debug = function->debugLocations.find(replaced);
    if (debug != function->debugLocations.end()) {
      function->debugLocations[replacement] = debug->second;
    }
    // Moved, not copied: the writer maps each input address to one expression.
    auto binary = function->expressionLocations.find(replaced);
    if (binary != function->expressionLocations.end()) {
      wasm::BinaryLocations::Span span = binary->second;
      function->expressionLocations.erase(binary);
      function->expressionLocations[replacement] = span;
    }
  }

  const ExpressionVisitor& visit;
  wasm::Function* function;
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
  // Not walkFunction(), whose replaceCurrent copies only the source location.
  CallbackWalker walker(visit, function);
  walker.walk(function->body);
}

} // namespace viewsan
