// viewsan-instrument: adds viewsan's hooks to a WebAssembly module. See --help.

#include "binary-scan.h"
#include "binaryen-output.h"
#include "diagnostic.h"
#include "file-io.h"
#include "instrumenter.h"
#include "isolated-run.h"
#include "options.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using namespace viewsan;

namespace {

enum ExitCode { Written = 0, BadInput = 1, UsageError = 2 };

void print(const std::string& file, const Diagnostic& diagnostic) {
  fprintf(stderr, "%s\n", formatDiagnostic(file, diagnostic).c_str());
}

int fail(const std::string& file, const Diagnostic& diagnostic) {
  print(file, diagnostic);
  return BadInput;
}

int fail(const std::string& file, const std::string& message) {
  return fail(file, {Diagnostic::Severity::Error, std::nullopt, message});
}

bool writeStdout(const std::string& bytes) {
  return fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size() && fflush(stdout) == 0;
}

std::string fileNameOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The glue files named on the command line, read.
struct GlueTexts {
  std::optional<std::string> emscripten, wasmBindgen;
};

InstrumentOptions optionsFor(const CommandLine& cli, GlueTexts glue) {
  InstrumentOptions options;
  options.emscriptenGlue = std::move(glue.emscripten);
  options.emscriptenGlueName = cli.emscriptenGlue.value_or("");
  options.wasmBindgenGlue = std::move(glue.wasmBindgen);
  options.wasmBindgenGlueName = cli.wasmBindgenGlue.value_or("");
  options.followWrappers = cli.followWrappers;
#ifndef __SANITIZE_ADDRESS__
  // The child exits as soon as it has sent its result. A sanitized build frees the module all the
  // same, so that the leak check sees everything else.
  options.freeModule = false;
#endif
  options.allocators = cli.allocators;
  options.moduleName = cli.moduleName.value_or(fileNameOf(cli.input));
  options.moduleNameOrigin = cli.moduleName ? "--module-name" : "file name";
  options.output = cli.action == CommandLine::Action::List ? InstrumentOptions::Output::Listing
                   : cli.text                              ? InstrumentOptions::Output::Text
                                                           : InstrumentOptions::Output::Binary;
  return options;
}

int instrument(const CommandLine& cli) {
  std::string bytes, error;
  if (!readFile(cli.input, bytes, error)) {
    return fail(cli.input, "cannot read the file: " + error);
  }
  ScanResult scan = scanModule(bytes);
  if (scan.error) {
    return fail(cli.input, {Diagnostic::Severity::Error, scan.error->offset, scan.error->message});
  }

  GlueTexts glue;
  for (auto [path, text] : {std::pair(&cli.emscriptenGlue, &glue.emscripten),
                            std::pair(&cli.wasmBindgenGlue, &glue.wasmBindgen)}) {
    if (*path) {
      text->emplace();
      if (!readFile(**path, **text, error)) {
        return fail(**path, "cannot read the file: " + error);
      }
    }
  }

  // The input's source map: the one given, else the file the sourceMappingURL section names,
  // beside the input. Only a map given must be there.
  InstrumentOptions options = optionsFor(cli, std::move(glue));
  // With no glue named, the JS file beside the input (Emscripten writes app.js with app.wasm) is
  // read, to be used only if no allocator is found otherwise.
  const std::string wasmSuffix = ".wasm";
  if (!cli.emscriptenGlue && !cli.wasmBindgenGlue && cli.input.size() > wasmSuffix.size() &&
      cli.input.compare(cli.input.size() - wasmSuffix.size(), wasmSuffix.size(), wasmSuffix) == 0) {
    std::string beside = cli.input.substr(0, cli.input.size() - wasmSuffix.size()) + ".js";
    std::string text;
    if (readFile(beside, text, error)) {
      options.glueBeside = std::move(text);
      options.glueBesideName = std::move(beside);
    }
  }
  std::vector<Diagnostic> notes;
  auto note = [&](std::string message) {
    notes.push_back({Diagnostic::Severity::Note, std::nullopt, std::move(message)});
  };
  const bool writesBinary = cli.action == CommandLine::Action::Instrument && !cli.text;
  const std::string stale = "the sourceMappingURL section is kept, but the source map it names "
                            "no longer matches the instrumented code";
  if (cli.inputSourceMap) {
    options.inputSourceMapName = *cli.inputSourceMap;
    options.inputSourceMapGiven = true;
    options.inputSourceMap.emplace();
    if (!readFile(*cli.inputSourceMap, *options.inputSourceMap, error)) {
      return fail(*cli.inputSourceMap, "cannot read the file: " + error);
    }
  } else if (writesBinary && scan.module.hasSourceMapUrl) {
    const std::optional<std::string>& url = scan.module.sourceMapUrl;
    if (!url || url->empty() || url->find("://") != std::string::npos ||
        url->compare(0, 5, "data:") == 0) {
      note(stale + " (it is not the name of a file: give the map with --input-source-map)");
    } else {
      size_t slash = cli.input.rfind('/');
      std::string path = (*url)[0] == '/' || slash == std::string::npos
                           ? *url
                           : cli.input.substr(0, slash + 1) + *url;
      options.inputSourceMapName = path;
      options.inputSourceMap.emplace();
      if (!readFile(path, *options.inputSourceMap, error)) {
        options.inputSourceMap.reset();
        note(stale + " (" + path + ": " + error + ")");
      }
    }
  }
  // Where the output's map goes: given, else beside the output.
  std::optional<std::string> outputMap = cli.outputSourceMap;
  if (writesBinary && options.inputSourceMap && !outputMap) {
    if (cli.output == "-") {
      note("the source map is not written: the output goes to stdout (give "
           "--output-source-map FILE)" +
           std::string(scan.module.hasSourceMapUrl ? "; " + stale : ""));
    } else if (cli.inPlace) {
      outputMap = options.inputSourceMapName; // replaced too, as the module is
    } else {
      outputMap = cli.output + ".map";
    }
  }
  if (cli.outputSourceMap && !options.inputSourceMap) {
    note("no source map is written: the input has none (give it with --input-source-map)");
    outputMap.reset();
  }
  if (writesBinary && options.inputSourceMap && outputMap) {
    // In place, the section keeps naming the map it named, which now holds the updated one.
    const bool keepsUrl = cli.inPlace && !cli.outputSourceMap && scan.module.sourceMapUrl &&
                          *outputMap == options.inputSourceMapName;
    options.outputSourceMapUrl = cli.outputSourceMapUrl.value_or(
      keepsUrl ? *scan.module.sourceMapUrl : fileNameOf(*outputMap));
  }
  for (const Diagnostic& diagnostic : notes) {
    print(cli.input, diagnostic);
  }

  // Binaryen ends the process on some malformed input, so it only ever runs in a child, where
  // its copy of the input is freed once read. The child may take 64 times the input's size, and
  // 4 GiB at least: esbuild's 14 MB takes 300 MiB.
  IsolationLimits limits;
  limits.memoryBytes = std::max<uint64_t>(limits.memoryBytes, uint64_t(bytes.size()) * 64);
  auto runChild = [&](bool lastTry) {
    return runIsolated(
      [&] {
        std::string input = lastTry ? std::move(bytes) : bytes;
        return encodeResult(instrumentModule(std::move(input), scan.module, options));
      },
      limits);
  };
  const bool mayDropDwarf = !scan.module.dwarfSections.empty() && writesBinary;
  IsolatedRun run = runChild(!mayDropDwarf);
  std::optional<InstrumentResult> result;
  if (run.completed) {
    result = decodeResult(std::move(run.result));
  }
  // Binaryen updates DWARF as it writes, and ends the process on DWARF it cannot parse: the
  // module is written again without it, rather than not at all.
  if (!result && mayDropDwarf) {
    Diagnostic first = describeFailedChild(run.output, run.howItEnded);
    options.keepDwarf = false;
    run = runChild(true);
    if (run.completed && (result = decodeResult(std::move(run.result))) && result->ok) {
      print(cli.input,
            {Diagnostic::Severity::Note,
             std::nullopt,
             "the DWARF sections are left out: Binaryen could not update them (" + first.message +
               ")"});
    }
  }
  if (!result) {
    return fail(cli.input, describeFailedChild(run.output, run.howItEnded));
  }
  for (const Diagnostic& diagnostic : result->diagnostics) {
    print(cli.input, diagnostic);
  }
  // Whatever else Binaryen printed (a warning, say) is passed on rather than lost.
  for (size_t start = 0, end; start < run.output.size(); start = end + 1) {
    end = std::min(run.output.find('\n', start), run.output.size());
    if (end > start) {
      print(cli.input,
            {Diagnostic::Severity::Note,
             std::nullopt,
             "Binaryen: " + run.output.substr(start, end - start)});
    }
  }
  if (!result->ok) {
    return BadInput;
  }

  if (result->sourceMap && outputMap &&
      !writeFileAtomically(*outputMap, *result->sourceMap, error)) {
    return fail(*outputMap, "cannot write the file: " + error);
  }
  if (cli.action == CommandLine::Action::List || cli.output == "-") {
    return writeStdout(result->output) ? Written : fail("<stdout>", "cannot write");
  }
  if (!writeFileAtomically(cli.output, result->output, error)) {
    return fail(cli.output, "cannot write the file: " + error);
  }
  return Written;
}

} // namespace

int main(int argc, char** argv) {
  CommandLine cli;
  if (std::optional<std::string> error =
        parseCommandLine(std::vector<std::string>(argv + 1, argv + argc), cli)) {
    fprintf(stderr, "viewsan-instrument: %s\nTry '--help' for more information.\n", error->c_str());
    return UsageError;
  }
  switch (cli.action) {
    case CommandLine::Action::Help:
      return writeStdout(helpText()) ? Written : BadInput;
    case CommandLine::Action::Version:
      return writeStdout(versionText()) ? Written : BadInput;
    default:
      return instrument(cli);
  }
}
