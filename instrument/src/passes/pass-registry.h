// The one table of instrumentation passes, in the order they run: each line gives a pass's name,
// what it does, and its factory, the way Binaryen's registerPass does. Running the passes and
// the --help text both come from it.

#pragma once

#include "passes/passes.h"

#include <memory>
#include <vector>

namespace viewsan {

struct RegisteredPass {
  const char* name;
  const char* description;
  std::unique_ptr<wasm::Pass> (*create)(Instrumentation&);
};

const std::vector<RegisteredPass>& registeredPasses();

// Runs every registered pass, in table order, over the instrumentation's module.
void runRegisteredPasses(Instrumentation& instrumentation);

} // namespace viewsan
