// What the code of the input module holds that instrumenting needs to know before the passes
// change it: who calls whom, who grows memory and which functions are referenced (for the
// coverage check, allocator-coverage.h), and which instructions decide the features the output
// is written with. Collected in one walk over every function, in parallel.

#pragma once

#include "module-context.h"

#include <cstdint>
#include <vector>

namespace viewsan {

struct CallGraph {
  explicit CallGraph(uint32_t numFunctions) : callees(numFunctions), grows(numFunctions, false) {}

  // By function index in the input module: direct calls and return_calls, in code order.
  std::vector<std::vector<uint32_t>> callees;
  std::vector<bool> grows; // executes memory.grow of the allocator's memory
  // Entry points besides the exports: the start function, the functions element segments hold,
  // and those any code or global initializer takes a reference to (ref.func).
  std::vector<uint32_t> entries;
  // An element segment holds an expression other than ref.func or a null: any function may be
  // entered through a table.
  bool anyFunctionIsEntry = false;
};

struct CodeUse {
  bool refFunc = false; // a ref.func: its function needs declaring (reference types)
  bool gc = false;      // a GC instruction
  bool customDescriptors = false; // an instruction of custom descriptors
  bool strings = false;           // an instruction of stringref

  CodeUse& operator|=(const CodeUse& other) {
    refFunc |= other.refFunc;
    gc |= other.gc;
    customDescriptors |= other.customDescriptors;
    strings |= other.strings;
    return *this;
  }
};

struct CodeFacts {
  CallGraph graph;
  CodeUse use;
};

CodeFacts collectCodeFacts(const ModuleContext& context);

} // namespace viewsan
