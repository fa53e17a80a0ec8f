#include "line-table.h"

#include "dwarf-reader.h"
#include "site-table.h"
#include "source-map-mappings.h"
#include "written-code.h"

#include <map>
#include <unordered_map>
#include <vector>

namespace viewsan {
namespace {

// Gives each distinct string its index in a JSON array.
class StringIndex {
public:
  int index(const std::string& text) {
    if (text.empty()) {
      return -1;
    }
    auto [it, added] = indices_.emplace(text, int(strings_.size()));
    if (added) {
      strings_.push_back(text);
    }
    return it->second;
  }

  std::string json() const {
    std::string out = "[";
    for (size_t i = 0; i < strings_.size(); ++i) {
      out += (i ? "," : "") + jsonString(strings_[i]);
    }
    return out + "]";
  }

private:
  std::unordered_map<std::string, int> indices_;
  std::vector<std::string> strings_;
};

// The section's rows, each left out when it says what the row before it said.
class Rows {
public:
  // From `offset` on, the code is at `frames` (innermost first); none: nothing is known.
  void add(uint64_t offset, const std::vector<SourceFrame>& frames) {
    std::string row;
    for (const SourceFrame& frame : frames) {
      row += "," + std::to_string(functions_.index(frame.function)) + "," +
             std::to_string(files_.index(frame.file)) + "," + std::to_string(frame.line) + "," +
             std::to_string(frame.column);
    }
    if (row == previous_) {
      return;
    }
    previous_ = row;
    rows_ += (count_++ ? ",[" : "[") + std::to_string(offset) + row + "]";
  }

  std::string json() const {
    return "{\"version\":1,\"files\":" + files_.json() + ",\"functions\":" + functions_.json() +
           ",\"rows\":[" + rows_ + "]}";
  }

  // Rows that repeat the one before are left out, and so are rows [offset] before the first
  // row that locates code: with no row, nothing is located.
  bool empty() const { return count_ == 0; }

private:
  StringIndex files_, functions_;
  std::string rows_;
  std::string previous_; // the last row's frames
  size_t count_ = 0;
};

void addDwarfRows(const wasm::Module& module, uint64_t codeStart, Rows& rows) {
  DwarfReader dwarf(module);
  if (!dwarf.usable()) {
    return;
  }
  dwarf.forEachRow([&](uint64_t address, bool endsSequence, llvm::DWARFCompileUnit* unit) {
    rows.add(codeStart + address,
             endsSequence ? std::vector<SourceFrame>() : dwarf.frames(address, unit));
  });
}

// The names of the written module's functions by index: the name section's, which JavaScript
// stacks show, else the first export name, else func[N], as sites name functions.
class FunctionNames {
public:
  FunctionNames(const wasm::Module& module, const WrittenCode& code) : names_(code.names) {
    // Binaryen writes the imported functions first, then the others, each in the module's order.
    std::unordered_map<wasm::Name, uint32_t> indices;
    for (bool imported : {true, false}) {
      for (const auto& function : module.functions) {
        if (function->imported() == imported) {
          indices.emplace(function->name, uint32_t(indices.size()));
        }
      }
    }
    for (const auto& exported : module.exports) {
      if (exported->kind != wasm::ExternalKind::Function) {
        continue;
      }
      auto index = indices.find(*exported->getInternalName());
      if (index != indices.end()) {
        names_.emplace(index->second, exported->name.toString());
      }
    }
  }

  std::string of(uint32_t index) const {
    auto found = names_.find(index);
    return found != names_.end() ? found->second : "func[" + std::to_string(index) + "]";
  }

private:
  std::map<uint32_t, std::string> names_;
};

// Rows from the source map written with the module: each location in the function it is in.
// A function's body begins with no location until its first mapping, so that no location runs
// on from the function before.
void addSourceMapRows(const wasm::Module& module,
                      const WrittenCode& code,
                      std::string_view sourceMap,
                      std::optional<uint32_t> ignoredFile,
                      Rows& rows) {
  const FunctionNames names(module, code);
  auto body = code.bodies.begin();
  decodeMappings(mappingsOf(sourceMap), [&](const Segment& at) {
    if (at.offset < 0) {
      return;
    }
    const uint64_t offset = uint64_t(at.offset);
    for (; body != code.bodies.end() && body->start <= offset; ++body) {
      if (body->start < offset) {
        rows.add(body->start, {});
      }
    }
    if (at.fields < 4) {
      rows.add(offset, {});
      return;
    }
    if (ignoredFile && at.file == int64_t(*ignoredFile)) {
      return;
    }
    const WrittenCode::Body* holder = code.bodyAt(offset);
    if (!holder) {
      rows.add(offset, {});
      return;
    }
    const bool known = at.file >= 0 && uint64_t(at.file) < module.debugInfoFileNames.size();
    // Map lines and columns count from 0.
    rows.add(offset,
             {SourceFrame{names.of(holder->function),
                          known ? module.debugInfoFileNames[at.file] : std::string(),
                          uint32_t(at.line + 1),
                          uint32_t(at.column + 1)}});
  });
}

uint32_t importedFunctions(const wasm::Module& module) {
  uint32_t count = 0;
  for (const auto& function : module.functions) {
    count += function->imported();
  }
  return count;
}

} // namespace

std::optional<std::string> lineTableJson(const wasm::Module& module,
                                         std::string_view binary,
                                         std::string_view sourceMap,
                                         std::optional<uint32_t> ignoredFile) {
  std::optional<WrittenCode> code = readWrittenCode(binary, importedFunctions(module));
  if (!code) {
    return std::nullopt;
  }
  Rows rows;
  addDwarfRows(module, code->contentsStart, rows);
  if (rows.empty()) {
    addSourceMapRows(module, *code, sourceMap, ignoredFile, rows);
  }
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.json();
}

} // namespace viewsan
