// What the coverage check needs to know of the code: which functions each function calls
// directly, which functions execute memory.grow, and which ones code takes a reference to.
// Collected during the one walk over the code (rewriteCode), before its calls are rewritten.

#pragma once

#include <cstdint>
#include <vector>

namespace viewsan {

struct CallGraph {
  explicit CallGraph(uint32_t numFunctions) : callees(numFunctions), grows(numFunctions, false) {}

  // By function index in the input module: direct calls and return_calls, in code order.
  std::vector<std::vector<uint32_t>> callees;
  std::vector<bool> grows;
  std::vector<uint32_t> referenced; // ref.func targets in function code
};

} // namespace viewsan
