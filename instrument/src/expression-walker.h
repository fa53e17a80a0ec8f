// A walk over Binaryen IR through the C API, which has no walker of its own.
//
// The walker knows every expression kind in wasm-delegations.def and, for each, how to get and
// set each of its children, so that a visitor can replace an expression wherever it sits: as a
// block item, a call operand, or the operand of an operand.

#pragma once

#include <binaryen-c.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace viewsan {

// Returns a replacement for the expression it is given, or null to keep it. A replacement must
// have the same type: the walker does not re-finalize parents.
using ExpressionVisitor = std::function<BinaryenExpressionRef(BinaryenExpressionRef)>;

struct WalkStats {
  // Expressions whose children the 108 C API cannot reach (most GC instructions), by kind. They
  // are visited, but nothing inside them is.
  std::map<std::string, uint32_t> unwalkable;
};

// Visits every expression under `root`, children before their parent and in evaluation order,
// so that visits follow the order of the instructions in the binary. Returns the new root.
BinaryenExpressionRef walkExpressions(BinaryenExpressionRef root,
                                      const ExpressionVisitor& visit,
                                      WalkStats* stats = nullptr);

// Walks a function's body; does nothing for an imported function.
void walkFunction(BinaryenFunctionRef function,
                  const ExpressionVisitor& visit,
                  WalkStats* stats = nullptr);

} // namespace viewsan
