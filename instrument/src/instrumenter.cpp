#include "instrumenter.h"

#include "binaryen-output.h"
#include "hook-names.h"
#include "listing.h"
#include "passes/passes.h"
#include "site-offsets.h"
#include "wasm-encoding.h"

#include <binaryen-c.h>

#include <cstdlib>
#include <memory>
#include <type_traits>

namespace viewsan {

namespace {

using Severity = Diagnostic::Severity;

struct ModuleDeleter {
  void operator()(BinaryenModuleRef module) const { BinaryenModuleDispose(module); }
};
using ModulePtr = std::unique_ptr<std::remove_pointer_t<BinaryenModuleRef>, ModuleDeleter>;

// The C API returns malloc'ed buffers.
struct FreeDeleter {
  void operator()(void* buffer) const { free(buffer); }
};

ModulePtr readModule(std::string_view binary) {
  // BinaryenModuleRead takes a mutable buffer.
  std::vector<char> copy(binary.begin(), binary.end());
  return ModulePtr(BinaryenModuleRead(copy.data(), copy.size()));
}

std::optional<std::string> validationError(BinaryenModuleRef module) {
  bool valid = true;
  std::string output = captureStderr([&] { valid = BinaryenModuleValidate(module); });
  if (valid) {
    return std::nullopt;
  }
  std::string first = firstValidationError(output);
  return first.empty() ? "the validator gave no reason" : first;
}

// `complete` promises the runtime that every allocation is reported, so that a free of a pointer
// no allocation returned is an error. That needs both sides of the allocator hooked, and a name
// section, without which an allocator entry point may have no name the table could match.
Coverage coverageOf(const AllocatorDiscovery& allocators, const ModuleScan& scan) {
  bool allocates = false, frees = false;
  for (const Allocator& allocator : allocators.hooked) {
    (allocator.spec.role == AllocRole::Free ? frees : allocates) = true;
  }
  return allocates && frees && scan.hasNameSection && allocators.unhooked.empty()
           ? Coverage::Complete
           : Coverage::Partial;
}

std::string unwalkableNote(const WalkStats& stats) {
  uint32_t total = 0;
  std::string kinds;
  for (const auto& [kind, count] : stats.unwalkable) {
    total += count;
    kinds += (kinds.empty() ? "" : ", ") + kind;
  }
  return "cannot look inside " + std::to_string(total) + " GC instruction(s) (" + kinds +
         ") with Binaryen 108's C API: a memory.grow in their operands is not reported, and "
         "allocator calls there report their allocator's export site";
}

// Writes the module and appends its sites section, whose offsets come from writing it.
std::string writeBinary(BinaryenModuleRef module,
                        const ModuleScan& scan,
                        SiteTable& sites,
                        const InstrumentReport& report,
                        const ModuleContext& context) {
  // Keep names only when the input had them: Binaryen would otherwise invent some.
  BinaryenSetDebugInfo(scan.hasNameSection);
  markSiteConstants(module, sites);
  BinaryenModuleAllocateAndWriteResult written = BinaryenModuleAllocateAndWrite(module, "");
  std::unique_ptr<void, FreeDeleter> binaryBuffer(written.binary);
  std::unique_ptr<char, FreeDeleter> sourceMap(written.sourceMap);
  std::string binary(static_cast<const char*>(written.binary), written.binaryBytes);
  readSiteOffsets(sourceMap ? sourceMap.get() : "", binary, sites);
  // The section goes last, after the code, so that it cannot move the offsets it records.
  std::string json = sitesJson(report.moduleName, report.coverage, sites.sites(), [&](uint32_t i) {
    return context.displayName(i);
  });
  appendCustomSection(binary, kSitesSection, json);
  return binary;
}

// The text of a written module, read back so that it shows exactly what the binary holds.
std::string textOf(const std::string& binary) {
  ModulePtr module = readModule(binary);
  std::unique_ptr<char, FreeDeleter> text(BinaryenModuleAllocateAndWriteText(module.get()));
  return text.get();
}

} // namespace

InstrumentResult instrumentModule(std::string_view binary,
                                  const ModuleScan& scan,
                                  const InstrumentOptions& options) {
  InstrumentResult result;
  auto note = [&](std::string message) {
    result.diagnostics.push_back({Severity::Note, std::nullopt, std::move(message)});
  };
  auto fail = [&](std::string message) {
    result.diagnostics.push_back({Severity::Error, std::nullopt, std::move(message)});
    return std::move(result);
  };

  ModulePtr owner = readModule(binary);
  BinaryenModuleRef module = owner.get();
  // Validate and instrument with every feature on, but write the features the module declared:
  // the target_features section is written from them.
  BinaryenFeatures declared = BinaryenModuleGetFeatures(module);
  BinaryenModuleSetFeatures(module, BinaryenFeatureAll());
  if (std::optional<std::string> problem = validationError(module)) {
    return fail("module fails validation: " + *problem);
  }
  ModuleContext context(module, scan);
  InstrumentReport report;
  report.allocators = discoverAllocators(context, options.allocators);
  if (report.allocators.error) {
    return fail(*report.allocators.error);
  }
  SiteTable sites;
  WalkStats walk;
  report.directCalls = instrumentAllocators(context, report.allocators.hooked, sites);
  report.memoryGrows = instrumentMemoryGrow(context, sites, walk);
  report.sites = sites.sites().size();
  report.coverage = coverageOf(report.allocators, scan);
  report.moduleName = scan.moduleName.value_or(options.moduleName);
  report.moduleNameOrigin = scan.moduleName ? "name section" : options.moduleNameOrigin;
  if (report.allocators.hooked.empty()) {
    note("no allocator found: only memory.grow is instrumented (name one with --alloc, --free "
         "or --realloc)");
  }
  if (!walk.unwalkable.empty()) {
    note(unwalkableNote(walk));
  }
  if (std::optional<std::string> problem = validationError(module)) {
    return fail("internal error: the instrumented module fails validation: " + *problem);
  }

  if (options.output == InstrumentOptions::Output::Listing) {
    result.output = formatListing(report, context);
  } else {
    if (!scan.dwarfSections.empty()) {
      const char* stripDwarf[] = {"strip-dwarf"};
      BinaryenModuleRunPasses(module, stripDwarf, 1);
      note("dropped " + std::to_string(scan.dwarfSections.size()) +
           " DWARF section(s): instrumenting moves code, so they would no longer describe it");
    }
    if (scan.hasSourceMapUrl) {
      // Binaryen keeps the section and offers no way to drop it alone.
      note("the sourceMappingURL section is kept, but the source map it names no longer matches "
           "the instrumented code");
    }
    BinaryenModuleSetFeatures(module, declared);
    result.output = writeBinary(module, scan, sites, report, context);
    if (options.output == InstrumentOptions::Output::Text) {
      result.output = textOf(result.output);
    }
  }
  result.ok = true;
  return result;
}

// One line "ok" or "failed", one line per diagnostic ("note|error OFFSET|- MESSAGE"), an empty
// line, then the output bytes.
std::string encodeResult(const InstrumentResult& result) {
  std::string encoded = result.ok ? "ok\n" : "failed\n";
  for (const Diagnostic& diagnostic : result.diagnostics) {
    std::string message = diagnostic.message;
    for (char& c : message) {
      c = c == '\n' ? ' ' : c;
    }
    encoded += diagnostic.severity == Severity::Error ? "error " : "note ";
    encoded += diagnostic.offset ? std::to_string(*diagnostic.offset) : "-";
    encoded += " " + message + "\n";
  }
  return encoded + "\n" + result.output;
}

std::optional<InstrumentResult> decodeResult(std::string_view encoded) {
  auto nextLine = [&](std::string_view& line) {
    size_t end = encoded.find('\n');
    if (end == std::string_view::npos) {
      return false;
    }
    line = encoded.substr(0, end);
    encoded.remove_prefix(end + 1);
    return true;
  };
  InstrumentResult result;
  std::string_view line;
  if (!nextLine(line) || (line != "ok" && line != "failed")) {
    return std::nullopt;
  }
  result.ok = line == "ok";
  while (nextLine(line) && !line.empty()) {
    size_t space = line.find(' ');
    size_t second = line.find(' ', space == std::string_view::npos ? space : space + 1);
    if (second == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view severity = line.substr(0, space);
    std::string offset(line.substr(space + 1, second - space - 1));
    Diagnostic diagnostic{severity == "error" ? Severity::Error : Severity::Note,
                          std::nullopt,
                          std::string(line.substr(second + 1))};
    if (offset != "-") {
      diagnostic.offset = std::strtoull(offset.c_str(), nullptr, 10);
    }
    result.diagnostics.push_back(std::move(diagnostic));
  }
  if (!line.empty()) {
    return std::nullopt;
  }
  result.output = std::string(encoded);
  return result;
}

} // namespace viewsan
