// A module's DWARF, read by LLVM's DWARF library as Binaryen carries it (the .debug_* custom
// sections of a wasm::Module): the source location of an instruction, with its inlined frames.
// Addresses are offsets from the start of the Code section's contents, as DWARF counts them in
// wasm.

#pragma once

#include <llvm/DebugInfo/DWARF/DWARFContext.h>

#include <wasm.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace viewsan {

// One frame of an instruction's source: the innermost first, then the functions it was inlined
// into, each at the line of the call that inlined the one before.
struct SourceFrame {
  std::string function; // empty when unknown
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

class DwarfReader {
public:
  explicit DwarfReader(const wasm::Module& module);

  bool usable() const { return context_ != nullptr; }

  // The frames of the instruction at `address`, innermost first; empty when the line tables do
  // not cover it. `unit`, when known, saves looking for it.
  std::vector<SourceFrame> frames(uint64_t address, llvm::DWARFCompileUnit* unit = nullptr);

  // Calls visit(address, endsSequence, unit) for every row of every line table, in each table's
  // order.
  template<typename Visit> void forEachRow(Visit visit) {
    forEachSequence([&](llvm::DWARFCompileUnit* unit,
                        const llvm::DWARFDebugLine::LineTable& table,
                        const llvm::DWARFDebugLine::Sequence& sequence) {
      for (unsigned i = sequence.FirstRowIndex; i < sequence.LastRowIndex; ++i) {
        const llvm::DWARFDebugLine::Row& row = table.Rows[i];
        visit(row.Address.Address, bool(row.EndSequence), unit);
      }
      return false;
    });
  }

private:
  // Calls visit(unit, table, sequence) for every sequence of code the line tables describe,
  // until it returns true. wasm-ld gives the code of functions it dropped address 0: no
  // function's code starts there (the Code section's contents begin with the function count),
  // so a sequence that starts at 0 is such a leftover, and left out.
  template<typename Visit> void forEachSequence(Visit visit) {
    for (const std::unique_ptr<llvm::DWARFUnit>& unit : context_->compile_units()) {
      auto* compileUnit = llvm::dyn_cast<llvm::DWARFCompileUnit>(unit.get());
      const llvm::DWARFDebugLine::LineTable* table =
        compileUnit ? context_->getLineTableForUnit(compileUnit) : nullptr;
      if (!table) {
        continue;
      }
      for (const llvm::DWARFDebugLine::Sequence& sequence : table->Sequences) {
        if (sequence.LowPC != 0 && visit(compileUnit, *table, sequence)) {
          return;
        }
      }
    }
  }

  llvm::DWARFCompileUnit* unitFor(uint64_t address);

  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> sections_;
  std::unique_ptr<llvm::DWARFContext> context_;
};

} // namespace viewsan
