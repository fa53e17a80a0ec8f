// The --list report: what was found in a module and what instrumenting it hooks.

#pragma once

#include "allocator-discovery.h"
#include "module-context.h"
#include "site-table.h"

#include <map>
#include <string>

namespace viewsan {

struct InstrumentReport {
  std::string moduleName;
  std::string moduleNameOrigin; // "name section", "--module-name" or "file name"
  AllocatorDiscovery allocators;
  std::map<uint32_t, uint32_t> directCalls; // by allocator function index
  uint32_t memoryGrows = 0;
  size_t sites = 0;
  Coverage coverage = Coverage::Partial;
  std::string coverageReason; // why it is partial (allocator-coverage.h)
};

std::string formatListing(const InstrumentReport& report, const ModuleContext& context);

} // namespace viewsan
