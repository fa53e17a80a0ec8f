#include "site-sources.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>

#include <memory>

namespace viewsan {
namespace {

// The input's DWARF, read by LLVM's DWARF library as Binaryen carries it.
class DwarfReader {
public:
  explicit DwarfReader(const wasm::Module& module) {
    for (const wasm::CustomSection& section : module.customSections) {
      if (section.name.rfind(".debug_", 0) == 0 && !section.data.empty()) {
        sections_[section.name.substr(1)] = llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(section.data.data(), section.data.size()));
      }
    }
    if (sections_.count("debug_info") && sections_.count("debug_line")) {
      context_ = llvm::DWARFContext::create(sections_, /*AddrSize=*/4, /*isLittleEndian=*/true);
    }
  }

  bool usable() const { return context_ != nullptr; }

  // The source location of the instruction at `address` (Code-section relative); its innermost
  // frame, and the function it was inlined from when it sits in inlined code.
  std::optional<SourceLocation> locate(uint64_t address) {
    llvm::DWARFCompileUnit* unit = unitFor(address);
    if (!unit) {
      return std::nullopt;
    }
    const auto kind = llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath;
    const llvm::DWARFDebugLine::LineTable* table = context_->getLineTableForUnit(unit);
    llvm::DILineInfo line;
    if (!table || !table->getFileLineInfoForAddress({address, llvm::object::SectionedAddress::UndefSection},
                                                    unit->getCompilationDir(), kind, line) ||
        line.Line == 0) {
      return std::nullopt;
    }
    SourceLocation location{line.FileName, line.Line, line.Column, std::nullopt};
    // The chain of subprogram and inlined-subroutine DIEs at the address, innermost first: more
    // than one means the instruction was inlined from the first into the last.
    llvm::SmallVector<llvm::DWARFDie, 4> chain;
    unit->getInlinedChainForAddress(address, chain);
    if (chain.size() > 1) {
      if (const char* name = chain.front().getSubroutineName(llvm::DINameKind::ShortName)) {
        location.inlinedFrom = std::string(name);
      }
    }
    return location;
  }

private:
  // The unit whose line table covers `address`. Not by the units' address ranges, as LLVM's own
  // lookup goes (llvm-symbolizer-14 too): wasm-ld gives the code of functions it dropped address
  // 0, so units of libc functions an emcc -O1 link dropped claim addresses from 0 up. No
  // function's code starts at 0 (the Code section's contents begin with the function count), so
  // a sequence that starts there is such a leftover.
  llvm::DWARFCompileUnit* unitFor(uint64_t address) {
    for (const std::unique_ptr<llvm::DWARFUnit>& unit : context_->compile_units()) {
      auto* compileUnit = llvm::dyn_cast<llvm::DWARFCompileUnit>(unit.get());
      const llvm::DWARFDebugLine::LineTable* table =
        compileUnit ? context_->getLineTableForUnit(compileUnit) : nullptr;
      if (!table) {
        continue;
      }
      for (const llvm::DWARFDebugLine::Sequence& sequence : table->Sequences) {
        if (sequence.LowPC != 0 && sequence.LowPC <= address && address < sequence.HighPC) {
          return compileUnit;
        }
      }
    }
    return nullptr;
  }

  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> sections_;
  std::unique_ptr<llvm::DWARFContext> context_;
};

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
  std::optional<DwarfReader> dwarf;
  for (Site& site : sites.sites()) {
    if (!site.origin || !site.holder) {
      continue;
    }
    auto span = site.holder->expressionLocations.find(site.origin);
    if (span != site.holder->expressionLocations.end()) {
      if (!dwarf) {
        dwarf.emplace(module);
      }
      if (dwarf->usable()) {
        site.source = dwarf->locate(span->second.start);
      }
    }
    if (!site.source) {
      site.source = sourceMapLocation(module, site);
    }
  }
}

} // namespace viewsan
