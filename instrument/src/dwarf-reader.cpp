#include "dwarf-reader.h"

namespace viewsan {

DwarfReader::DwarfReader(const wasm::Module& module) {
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

std::vector<SourceFrame> DwarfReader::frames(uint64_t address, llvm::DWARFCompileUnit* unit) {
  std::vector<SourceFrame> out;
  unit = unit ? unit : unitFor(address);
  if (!unit) {
    return out;
  }
  const auto kind = llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath;
  const llvm::DWARFDebugLine::LineTable* table = context_->getLineTableForUnit(unit);
  llvm::DILineInfo line;
  if (!table ||
      !table->getFileLineInfoForAddress({address, llvm::object::SectionedAddress::UndefSection},
                                        unit->getCompilationDir(), kind, line) ||
      line.Line == 0) {
    return out;
  }
  // The subprogram and inlined-subroutine DIEs at the address, innermost first. The innermost
  // frame is where the line table puts the address; each outer one is where the one inside it
  // was called (and inlined).
  llvm::SmallVector<llvm::DWARFDie, 4> chain;
  unit->getInlinedChainForAddress(address, chain);
  auto nameOf = [](const llvm::DWARFDie& die) {
    const char* name = die.getSubroutineName(llvm::DINameKind::ShortName);
    return name ? std::string(name) : std::string();
  };
  out.push_back({chain.empty() ? std::string() : nameOf(chain[0]), line.FileName, line.Line,
                 line.Column});
  for (size_t i = 1; i < chain.size(); ++i) {
    uint32_t file = 0, callLine = 0, callColumn = 0, discriminator = 0;
    chain[i - 1].getCallerFrame(file, callLine, callColumn, discriminator);
    SourceFrame frame{nameOf(chain[i]), {}, callLine, callColumn};
    table->getFileNameByIndex(file, unit->getCompilationDir(), kind, frame.file);
    out.push_back(std::move(frame));
  }
  return out;
}

// The unit whose line table covers `address`. Not by the units' address ranges, as LLVM's own
// lookup goes (llvm-symbolizer-14 too): units of libc functions an emcc -O1 link dropped claim
// addresses from 0 up (see forEachSequence).
llvm::DWARFCompileUnit* DwarfReader::unitFor(uint64_t address) {
  llvm::DWARFCompileUnit* found = nullptr;
  forEachSequence([&](llvm::DWARFCompileUnit* unit,
                      const llvm::DWARFDebugLine::LineTable&,
                      const llvm::DWARFDebugLine::Sequence& sequence) {
    if (sequence.LowPC <= address && address < sequence.HighPC) {
      found = unit;
    }
    return found != nullptr;
  });
  return found;
}

} // namespace viewsan
