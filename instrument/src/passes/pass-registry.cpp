#include "passes/pass-registry.h"

namespace viewsan {

const std::vector<RegisteredPass>& registeredPasses() {
  // Allocators first: their export sites take the first ids, and the other passes then find the
  // allocators' code where it moved.
  static const std::vector<RegisteredPass> passes = {
    {"instrument-allocators",
     "report every allocation, reallocation and free to the hooks exactly once, however the "
     "allocator is entered",
     createInstrumentAllocatorsPass},
    {"instrument-memory-grow",
     "report every memory.grow of the allocator's memory to the hooks, before and after",
     createInstrumentMemoryGrowPass},
  };
  return passes;
}

void runRegisteredPasses(Instrumentation& instrumentation) {
  wasm::PassRunner runner(&instrumentation.context.module());
  for (const RegisteredPass& registered : registeredPasses()) {
    std::unique_ptr<wasm::Pass> pass = registered.create(instrumentation);
    pass->name = registered.name;
    runner.add(std::move(pass));
  }
  runner.run();
}

} // namespace viewsan
