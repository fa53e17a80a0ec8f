// The instrumentation passes. They share one ModuleContext and one SiteTable, and each walks the
// code of every defined function wherever that code lives by then (ModuleContext::codeOf).

#pragma once

#include "allocator-discovery.h"
#include "expression-walker.h"
#include "module-context.h"
#include "site-table.h"

#include <cstdint>
#include <map>
#include <vector>

namespace viewsan {

// Wraps each allocator so that every way into it reports to the hooks exactly once. Returns the
// number of direct calls rewritten, by allocator function index.
std::map<uint32_t, uint32_t> instrumentAllocators(ModuleContext& context,
                                                  const std::vector<Allocator>& allocators,
                                                  SiteTable& sites);

// Reports every memory.grow instruction to the hooks. Returns how many there were; `stats`
// counts the expressions the walk could not look inside.
uint32_t instrumentMemoryGrow(ModuleContext& context, SiteTable& sites, WalkStats& stats);

} // namespace viewsan
