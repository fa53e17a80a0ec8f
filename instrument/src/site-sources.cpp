#include "site-sources.h"

#include "dwarf-reader.h"

namespace viewsan {
namespace {

// The source map location Binaryen attached to `origin` when it read the input's map. Source map
// columns count from 0; reports count from 1, as DWARF and compilers do.
std::optional<SourceLocation> sourceMapLocation(const wasm::Module& module, const Site& site) {
  auto found = site.holder->debugLocations.find(site.origin);
  if (found == site.holder->debugLocations.end() || !found->second) {
    return std::nullopt;
  }
  const wasm::Function::DebugLocation& location = *found->second;
  if (location.fileIndex >= module.debugInfoFileNames.size()) {
    return std::nullopt;
  }
  return SourceLocation{
    module.debugInfoFileNames[location.fileIndex], location.lineNumber, location.columnNumber + 1,
    std::nullopt};
}

} // namespace

void locateSitesInSources(const wasm::Module& module, SiteTable& sites) {
  std::optional<DwarfReader> dwarf;  // read once, at the first site that has an address
  for (Site& site : sites.sites()) {
    if (!site.origin || !site.holder) {
      continue;
    }
    auto span = site.holder->expressionLocations.find(site.origin);
    if (span != site.holder->expressionLocations.end()) {
      if (!dwarf) {
        dwarf.emplace(module);
      }
      std::vector<SourceFrame> frames =
        dwarf->usable() ? dwarf->frames(span->second.start) : std::vector<SourceFrame>();
      if (!frames.empty()) {
        const SourceFrame& innermost = frames.front();
        site.source = SourceLocation{innermost.file, innermost.line, innermost.column, std::nullopt};
        if (frames.size() > 1 && !innermost.function.empty()) {
          site.source->inlinedFrom = innermost.function;
        }
      }
    }
    if (!site.source) {
      site.source = sourceMapLocation(module, site);
    }
  }
}

} // namespace viewsan
