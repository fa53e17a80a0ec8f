// Sites: the code locations that pass an id to a hook, and the viewsan.sites section that maps
// each id back to its location (DESIGN.md, contract 1).

#pragma once

#include "allocator-families.h"

#include <wasm.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace viewsan {

enum class SiteKind {
  Export,     // an allocator entered other than by a direct call: export, table, ref.func
  Call,       // a direct call to an allocator
  MemoryGrow, // a memory.grow instruction
};

const char* siteKindName(SiteKind kind);

// Where a site is in the program's sources (DWARF or a source map), as reports show it.
struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0; // 1-based; 0 when unknown
  // When the site's code was inlined: the source function it was inlined from (the caller the
  // report names), and the function it now sits in is `Site::func`.
  std::optional<std::string> inlinedFrom;
};

struct Site {
  SiteKind kind;
  // Function indices in the input module: the caller (for export sites, the allocator itself)
  // and the allocator called, if any.
  uint32_t func;
  std::optional<uint32_t> callee;
  // Byte offset, in the instrumented module, of the call that passes this site's id; known once
  // the module is written.
  std::optional<uint64_t> offset;
  // The `i32.const <id>` that passes the id, and the function whose code holds it.
  wasm::Const* idConstant = nullptr;
  wasm::Function* holder = nullptr;
  // The input's instruction the site stands for (a call, a memory.grow), whose debug info
  // locates it in the sources; null for export sites.
  wasm::Expression* origin = nullptr;
  std::optional<SourceLocation> source;
  // Export sites: the allocator's role and argument positions, for the runtime's wrappers of its
  // exports, which record the JS stack of JavaScript's calls.
  std::optional<AllocatorSpec> allocator;
};

class SiteTable {
public:
  // Registers a site, whose id the `i32.const` in the code of `holder` passes to a hook: it is
  // given the next id.
  void add(SiteKind kind,
           uint32_t func,
           std::optional<uint32_t> callee,
           wasm::Const* idConstant,
           wasm::Function* holder,
           wasm::Expression* origin = nullptr);
  // An export site of allocator `func`, which `spec` describes.
  void addExport(uint32_t func,
                 const AllocatorSpec& spec,
                 wasm::Const* idConstant,
                 wasm::Function* holder);

  std::vector<Site>& sites() { return sites_; }
  const std::vector<Site>& sites() const { return sites_; }

private:
  std::vector<Site> sites_;
};

enum class Coverage {
  Complete, // every allocation path reaches a hooked function
  Partial,
};

const char* coverageName(Coverage coverage);

// The contents of the viewsan.sites section. `nameOf` gives the name of a function index, and
// `exportsOf` the names it is exported under.
std::string sitesJson(std::string_view module,
                      Coverage coverage,
                      const std::vector<Site>& sites,
                      const std::function<std::string(uint32_t)>& nameOf,
                      const std::function<std::vector<std::string>(uint32_t)>& exportsOf);

// A JSON string literal holding `bytes`. Names come from the binary and need not be valid UTF-8;
// each invalid byte becomes U+FFFD so the section always parses.
std::string jsonString(std::string_view bytes);

} // namespace viewsan
