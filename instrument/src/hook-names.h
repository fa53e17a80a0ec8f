// The names an instrumented module uses to reach the viewsan runtime (DESIGN.md, contract 1), and
// the internal names of everything the passes add to a module.

#pragma once

namespace viewsan {

// Every hook is a function imported from this module.
inline constexpr const char* kHookModule = "viewsan";

// Hook import names for memory32 modules. memory64 modules import the same names followed by
// kMemory64Suffix, with i64 pointers, sizes and page counts; the site is always i32.
inline constexpr const char* kAllocHook = "alloc";     // (ptr, size, site) after an allocation
inline constexpr const char* kFreeHook = "free";       // (ptr, site) before a free
inline constexpr const char* kReallocHook = "realloc"; // (old, new, size, site) after a realloc
inline constexpr const char* kGrowBeginHook = "grow_begin"; // (delta, site) before memory.grow
inline constexpr const char* kGrowEndHook =
  "grow_end"; // (prev, delta, site) after it; prev is -1 on failure
inline constexpr const char* kMemory64Suffix = "64";

// The custom section that maps each site id to the code that passes it.
inline constexpr const char* kSitesSection = "viewsan.sites";

// Functions and globals the passes add. Hook imports are named kHookModule + "." + hook name.
inline constexpr const char* kGrowHelper = "viewsan.grow";
inline constexpr const char* kDepthGlobal = "viewsan.depth";
inline constexpr const char* kSiteGlobal = "viewsan.site";
inline constexpr const char* kOriginalSuffix = "$viewsan.orig";
inline constexpr const char* kHookedSuffix = "$viewsan.hooked";

} // namespace viewsan
