// A walk over Binaryen IR that lets a visitor replace an expression wherever it sits: as a block
// item, a call operand, or the operand of an operand, inside any instruction Binaryen knows
// (GC instructions included). It is Binaryen's own post-order walker (wasm::PostWalker) behind a
// callback, for code that otherwise uses the C API: in Binaryen 132 a BinaryenExpressionRef is a
// wasm::Expression* and a BinaryenFunctionRef a wasm::Function*.

#pragma once

#include <binaryen-c.h>

#include <functional>

namespace viewsan {

// Returns a replacement for the expression it is given, or null to keep it. A replacement must
// have the same type: the walker does not re-finalize parents.
using ExpressionVisitor = std::function<BinaryenExpressionRef(BinaryenExpressionRef)>;

// Visits every expression under `root`, children before their parent and in evaluation order,
// so that visits follow the order of the instructions in the binary. Returns the new root.
BinaryenExpressionRef walkExpressions(BinaryenExpressionRef root, const ExpressionVisitor& visit);

// Walks a function's body; does nothing for an imported function.
void walkFunction(BinaryenFunctionRef function, const ExpressionVisitor& visit);

} // namespace viewsan
