#include "instrumenter.h"

#include "allocator-coverage.h"
#include "allocator-wrappers.h"
#include "binaryen-output.h"
#include "emscripten-glue.h"
#include "wasm-bindgen-glue.h"
#include "hook-names.h"
#include "line-table.h"
#include "listing.h"
#include "code-facts.h"
#include "output-features.h"
#include "passes/pass-registry.h"
#include "site-offsets.h"
#include "site-sources.h"
#include "source-map-input.h"
#include "wasm-encoding.h"

#include <ir/module-utils.h>
#include <parsing.h>
#include <pass.h>
#include <source-map.h>
#include <support/colors.h>
#include <wasm-builder.h>
#include <wasm-binary.h>
#include <wasm-validator.h>
#include <wasm.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <unordered_map>

namespace viewsan {

namespace {

using Severity = Diagnostic::Severity;

using ModulePtr = std::unique_ptr<wasm::Module>;

struct ReadModule {
  ModulePtr module;
  // The features its target_features section says it uses (MVP when it has none).
  wasm::FeatureSet declared = wasm::FeatureSet::MVP;
  std::optional<Diagnostic> error;
  std::optional<std::string> mapError; // why the source map could not be read
};

// Reads with every feature enabled, so that nothing a module may use is refused; which features
// are written is decided later (featuresToWrite). A binary Binaryen cannot parse is an error
// with its offset (the reader throws). The reader takes a vector: `binary` is freed once it is
// copied there, `keep` says not to. With `dwarf`, Binaryen records where each instruction was in
// the input, by which its writer updates the DWARF sections. With a `sourceMap`, each instruction
// gets its source location; a map Binaryen cannot read is `mapError`, and the module is read
// again without it.
ReadModule readModule(std::string& binary,
                      bool keep = false,
                      bool names = true,
                      bool dwarf = false,
                      const std::string* sourceMap = nullptr) {
  ReadModule read;
  std::vector<char> buffer(binary.begin(), binary.end());
  if (!keep) {
    std::string().swap(binary);
  }
  std::vector<char> map;
  if (sourceMap) {
    // Binaryen's JSON parser reads up to a terminating NUL.
    map.assign(sourceMap->begin(), sourceMap->end());
    map.push_back('\0');
  }
  for (bool withMap : {true, false}) {
    if (!withMap && !sourceMap) {
      break;
    }
    read.module.reset(new wasm::Module);
    try {
      wasm::WasmBinaryReader reader(*read.module, wasm::FeatureSet::All, buffer, map);
      reader.setDebugInfo(names);
      reader.setDWARF(dwarf);
      reader.read();
      if (read.module->hasFeaturesSection) {
        read.declared = reader.getFeaturesSectionFeatures();
      }
      return read;
    } catch (const wasm::MapParseException& e) {
      read.mapError = e.errorText;
      map.clear();
    } catch (const wasm::ParseException& e) {
      std::optional<uint64_t> offset;
      if (e.line != size_t(-1)) {
        offset = e.col; // the binary reader's position
      }
      read.error = Diagnostic{Diagnostic::Severity::Error, offset, e.text};
      read.module.reset();
      return read;
    }
  }
  read.module.reset();
  return read;
}

// Why viewsan cannot instrument a module Binaryen read, if it cannot.
std::optional<std::string> refusal(wasm::Module& module) {
  // Instrumenting twice would report every event twice.
  std::optional<std::string> hookImport;
  wasm::ModuleUtils::iterImportable(module, [&](wasm::ExternalKind, wasm::Importable* imported) {
    if (!hookImport && imported->module == kHookModule) {
      hookImport = "module is already instrumented: it imports \"" + imported->module.toString() +
                   "\" \"" + imported->base.toString() + "\"";
    }
  });
  if (hookImport) {
    return hookImport;
  }
  // The hooks report one memory's pointers and growth to a runtime that guards one memory.
  if (module.memories.size() > 1) {
    return std::string("multi-memory is not supported: this module has a second memory, and "
                       "viewsan guards one linear memory");
  }
  if (!module.memories.empty() && module.memories[0]->pageSizeLog2 != wasm::Memory::kDefaultPageSizeLog2) {
    const auto pageSize = module.memories[0]->pageSize();
    return "custom page sizes are not supported: this module's memory has pages of " +
           std::to_string(pageSize) + (pageSize == 1 ? " byte" : " bytes") +
           ", and viewsan's runtime counts growth in 64 KiB pages";
  }
  return std::nullopt;
}

std::optional<std::string> validationError(wasm::Module& module) {
  bool valid = true;
  std::string output = captureStderr([&] { valid = wasm::WasmValidator().validate(module); });
  if (valid) {
    return std::nullopt;
  }
  std::string first = firstValidationError(output);
  return first.empty() ? "the validator gave no reason" : first;
}

// The module was valid before the passes ran, and they change only the functions they mark, so
// the rest need not be validated again: their bodies are set aside (an `unreachable` body is
// valid whatever the function returns) while the validator checks the module and the changed
// code, then put back. On a large module this saves most of a second validation.
std::optional<std::string> validationErrorAfterPasses(const ModuleContext& context) {
  wasm::Module& module = context.module();
  wasm::Builder builder(module);
  std::vector<std::pair<wasm::Function*, wasm::Expression*>> setAside;
  for (const auto& function : module.functions) {
    if (function->body && !context.changed().count(function.get())) {
      setAside.emplace_back(function.get(), function->body);
      function->body = builder.makeUnreachable();
    }
  }
  std::optional<std::string> problem = validationError(module);
  for (auto& [function, body] : setAside) {
    function->body = body;
  }
  return problem;
}

// The module's function exports: name -> function index.
using FunctionExports = std::unordered_map<std::string_view, uint32_t>;

FunctionExports functionExports(const ModuleContext& context) {
  FunctionExports exports;
  for (uint32_t index = 0; index < context.numFunctions(); ++index) {
    for (const std::string& name : context.exportNames(index)) {
      exports.emplace(name, index);
    }
  }
  return exports;
}

// wasm-bindgen's allocator takes (size, align), (ptr, old, new, align) or (ptr, size, align) and
// returns a pointer, a pointer or nothing: a binding read from how the glue calls an export is
// kept only when the export has that shape. Returns why not, or nothing.
std::optional<std::string> wasmBindgenShapeProblem(const ModuleContext& context,
                                                   const FunctionExports& exports,
                                                   const GlueBinding& binding) {
  const uint32_t params = binding.allocator == "__wbindgen_malloc"    ? 2
                          : binding.allocator == "__wbindgen_realloc" ? 4
                                                                      : 3;
  const uint32_t results = binding.allocator == "__wbindgen_free" ? 0 : 1;
  // The reader keeps only names of function exports.
  const wasm::Signature sig = context.function(exports.at(binding.exportName))->getSig();
  const uint32_t hasParams = uint32_t(sig.params.size());
  const uint32_t hasResults = uint32_t(sig.results.size());
  if (hasParams == params && hasResults == results) {
    return std::nullopt;
  }
  return binding.symbol + " would be export \"" + binding.exportName + "\", which takes " +
         std::to_string(hasParams) + " arguments and returns " + std::to_string(hasResults) +
         " values, not " + std::to_string(params) + " and " + std::to_string(results) +
         "; it is not used";
}

// The glue's bindings of the table's allocators ("_malloc" for malloc) to function exports.
GlueReading readGlue(std::string_view js, const FunctionExports& exports) {
  std::vector<std::string> symbols;
  for (const KnownAllocator& known : knownAllocators()) {
    symbols.push_back(std::string("_") + known.name);
  }
  return readEmscriptenGlue(
    js, symbols, [&](std::string_view name) { return exports.count(name) > 0; });
}

// Writes the module and appends its sites section, whose offsets come from writing it. With a
// `sourceMapUrl`, the output's source map (without the sites) goes to `sourceMap`.
std::string writeBinary(wasm::Module& module,
                        const ModuleScan& scan,
                        SiteTable& sites,
                        const InstrumentReport& report,
                        const ModuleContext& context,
                        const std::optional<std::string>& sourceMapUrl,
                        std::optional<std::string>& sourceMap) {
  std::optional<uint32_t> sitesFile = markSiteConstants(module, sites);
  std::string binary;
  // The map is always written: it is where the sites' offsets come from (site-offsets.h).
  std::string mapText;
  {
    // Keep names only when the input had them: Binaryen would otherwise invent some.
    wasm::PassOptions options;
    options.debugInfo = scan.hasNameSection;
    wasm::BufferWithRandomAccess buffer;
    wasm::WasmBinaryWriter writer(&module, buffer, options);
    writer.setNamesSection(options.debugInfo);
    std::ostringstream map;
    writer.setSourceMap(&map, sourceMapUrl.value_or(""));
    writer.write();
    mapText = map.str();
    // The section goes last, after the code, so that it cannot move the offsets it records.
    binary.reserve(buffer.size() + 4096);
    binary.assign(buffer.begin(), buffer.end());
  }
  readSiteOffsets(mapText, binary, sites, sitesFile);
  // The writer updated the module's DWARF, and wrote the map, to describe the binary it wrote.
  std::optional<std::string> lines = lineTableJson(module, binary, mapText, sitesFile);
  if (sourceMapUrl) {
    sourceMap = sitesFile ? sourceMapWithoutFile(mapText, *sitesFile) : std::move(mapText);
  }
  std::string json = sitesJson(
    report.moduleName,
    report.coverage,
    sites.sites(),
    [&](uint32_t i) { return context.displayName(i); },
    [&](uint32_t i) { return context.exportNames(i); });
  appendCustomSection(binary, kSitesSection, json);
  if (lines) {
    appendCustomSection(binary, kLinesSection, *lines);
  }
  return binary;
}

// The text of a written module, read back so that it shows exactly what the binary holds.
std::string textOf(std::string& binary) {
  ReadModule read = readModule(binary, true);
  if (!read.module) {
    return "(; the instrumented module cannot be read back: " + read.error->message + " ;)\n";
  }
  std::ostringstream text;
  const bool colors = Colors::isEnabled();
  Colors::setEnabled(false);
  text << *read.module;
  Colors::setEnabled(colors);
  return text.str();
}

} // namespace

InstrumentResult instrumentModule(std::string binary,
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

  const bool writesBinary = options.output == InstrumentOptions::Output::Binary;
  // DWARF matters only to a module written, and a source map only to a binary.
  const bool dwarf = options.keepDwarf && options.output != InstrumentOptions::Output::Listing &&
                     !scan.dwarfSections.empty();
  const bool mapWanted = writesBinary && options.outputSourceMapUrl && options.inputSourceMap;
  std::optional<InputSourceMap> inputMap;
  if (mapWanted) {
    inputMap = prepareInputSourceMap(*options.inputSourceMap);
  }
  const bool mapUsable = inputMap && !inputMap->error;
  ReadModule read = readModule(
    binary, false, !scan.hasMalformedNameSection, dwarf, mapUsable ? &inputMap->text : nullptr);
  if (read.error) {
    result.diagnostics.push_back(*read.error);
    return result;
  }
  if (inputMap && inputMap->error) {
    read.mapError = inputMap->error;
  }
  std::optional<std::string> outputMapUrl = mapWanted ? options.outputSourceMapUrl : std::nullopt;
  if (mapUsable && !read.mapError && inputMap->nullContents) {
    note(options.inputSourceMapName + ": " + std::to_string(inputMap->nullContents) +
         " of the source map's sourcesContent entries are null; the output's map gives them as "
         "empty strings");
  }
  if (read.mapError) {
    if (options.inputSourceMapGiven) {
      return fail(options.inputSourceMapName + ": cannot read the source map: " + *read.mapError);
    }
    note(options.inputSourceMapName + ": cannot read the source map the sourceMappingURL "
         "section names (" + *read.mapError + "): no source map is written, and the section is "
         "kept but no longer matches the instrumented code");
    outputMapUrl.reset();
  }
  ModulePtr owner = std::move(read.module);
  wasm::Module& module = *owner;
  if (!options.keepDwarf) {
    auto& sections = module.customSections;
    sections.erase(std::remove_if(sections.begin(),
                                  sections.end(),
                                  [](const wasm::CustomSection& section) {
                                    return section.name.rfind(".debug_", 0) == 0;
                                  }),
                   sections.end());
  }
  // Validate and instrument with every feature on (as read), but write the features the module
  // uses (featuresToWrite).
  if (std::optional<std::string> problem = refusal(module)) {
    return fail(*problem);
  }
  if (std::optional<std::string> problem = validationError(module)) {
    return fail("module fails validation: " + *problem);
  }
  ModuleContext context(module, scan);
  const size_t functionsRead = module.functions.size(), globalsRead = module.globals.size();
  InstrumentReport report;
  std::vector<GlueBinding> glue;
  auto takeGlue = [&](const std::string& file, GlueReading reading) {
    for (const std::string& symbol : reading.ambiguous) {
      note(file + ": " + symbol + " is bound to more than one export; it is not used");
    }
    if (reading.bindings.empty()) {
      note(file + ": the glue binds no allocator to an export");
    }
    glue.insert(glue.end(), reading.bindings.begin(), reading.bindings.end());
  };
  const FunctionExports exports =
    options.emscriptenGlue || options.wasmBindgenGlue ? functionExports(context) : FunctionExports();
  if (options.emscriptenGlue) {
    takeGlue(options.emscriptenGlueName, readGlue(*options.emscriptenGlue, exports));
  }
  if (options.wasmBindgenGlue) {
    GlueReading reading = readWasmBindgenGlue(
      *options.wasmBindgenGlue, [&](std::string_view name) { return exports.count(name) > 0; });
    std::vector<GlueBinding> shaped;
    for (GlueBinding& binding : reading.bindings) {
      if (std::optional<std::string> problem = wasmBindgenShapeProblem(context, exports, binding)) {
        note(options.wasmBindgenGlueName + ": " + *problem);
      } else {
        shaped.push_back(std::move(binding));
      }
    }
    reading.bindings = std::move(shaped);
    takeGlue(options.wasmBindgenGlueName, std::move(reading));
  }
  report.allocators = discoverAllocators(context, options.allocators, glue);
  if (!report.allocators.error && report.allocators.hooked.empty() && options.glueBeside) {
    // A minified Emscripten build whose glue the user did not name: its own, beside it.
    GlueReading beside = readGlue(*options.glueBeside, functionExports(context));
    if (!beside.bindings.empty()) {
      AllocatorDiscovery found = discoverAllocators(context, options.allocators, beside.bindings);
      if (!found.error && !found.hooked.empty()) {
        note("allocators found through the Emscripten glue beside the module, " +
             options.glueBesideName + " (--emscripten-glue names another)");
        report.allocators = std::move(found);
      }
    }
  }
  if (report.allocators.error) {
    return fail(*report.allocators.error);
  }
  for (const Allocator& allocator : report.allocators.hooked) {
    context.preferExportName(allocator.index, allocator.spec.name);
  }
  if (options.followWrappers) {
    std::vector<Allocator>& hooked = report.allocators.hooked;
    followWrappers(context, hooked);
    std::stable_sort(hooked.begin(), hooked.end(), [](const Allocator& a, const Allocator& b) {
      return a.index < b.index;
    });
  }
  const CodeFacts facts = collectCodeFacts(context);
  SiteTable sites;
  Instrumentation instrumentation{context, sites, report.allocators.hooked, facts, {}, 0};
  runRegisteredPasses(instrumentation);
  locateSitesInSources(module, sites);
  // Binaryen writes a name to the name section only when it is explicit, as those read from one
  // are: the functions and globals the passes added (appended, imports too) get theirs.
  for (size_t i = functionsRead; i < module.functions.size(); ++i) {
    module.functions[i]->hasExplicitName = true;
  }
  for (size_t i = globalsRead; i < module.globals.size(); ++i) {
    module.globals[i]->hasExplicitName = true;
  }
  report.directCalls = instrumentation.directCalls;
  report.memoryGrows = instrumentation.memoryGrows;
  report.sites = sites.sites().size();
  CoverageJudgement coverage = judgeCoverage(context, report.allocators, facts.graph);
  report.coverage = coverage.coverage;
  report.coverageReason = std::move(coverage.reason);
  report.moduleName = scan.moduleName.value_or(options.moduleName);
  report.moduleNameOrigin = scan.moduleName ? "name section" : options.moduleNameOrigin;
  if (report.allocators.hooked.empty()) {
    const std::string hint = " (name one with --alloc, --free or --realloc, or give a minified "
                             "build's JS with --emscripten-glue or --wasm-bindgen-glue)";
    note(report.memoryGrows > 0
           ? "no allocator found: only memory.grow is instrumented" + hint
           : "no allocator found, and the module has no memory.grow: nothing is hooked; views "
             "over its memory are still checked for growth and misalignment" + hint);
  } else if (std::none_of(report.allocators.hooked.begin(), report.allocators.hooked.end(),
                          [](const Allocator& a) { return a.spec.role != AllocRole::Alloc; })) {
    note("no free found: every allocation inside the module stays live as far as viewsan knows, "
         "and views over it are judged loosely (name the free with --free)");
  }
  if (std::optional<std::string> problem = validationErrorAfterPasses(context)) {
    return fail("internal error: the instrumented module fails validation: " + *problem);
  }

  if (options.output == InstrumentOptions::Output::Listing) {
    result.output = formatListing(report, context);
  } else {
    module.features = featuresToWrite(module, read.declared, scan, facts.use);
    result.output =
      writeBinary(module, scan, sites, report, context, outputMapUrl, result.sourceMap);
    if (outputMapUrl && !result.sourceMap) {
      return fail("internal error: Binaryen wrote a source map that cannot be read back");
    }
    if (options.output == InstrumentOptions::Output::Text) {
      result.output = textOf(result.output);
    }
  }
  result.ok = true;
  if (!options.freeModule) {
    owner.release();
  }
  return result;
}

} // namespace viewsan
