// binaryen132-probe IN.wasm OUT.wasm
//
// Reads a wasm binary with Binaryen 132's C++ API, validates it, and writes it back: proof that
// the Binaryen 132 build scripts/build-binaryen.sh caches (cmake/Binaryen132.cmake's
// binaryen132::binaryen) compiles and links into a C++20 program. Prints one line about the
// module and exits 0, or prints why not and exits 1. Binaryen ends the process itself (Fatal())
// on some inputs it cannot read.

#include <cstdio>
#include <exception>
#include <string>

#include "config.h"
#include "parsing.h"
#include "pass.h"
#include "wasm-io.h"
#include "wasm-validator.h"
#include "wasm.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: binaryen132-probe IN.wasm OUT.wasm\n");
    return 1;
  }
  const std::string input = argv[1];
  const std::string output = argv[2];

  // The features current toolchains' output uses and Node 20 runs. With more (GC above all) the
  // writer chooses newer encodings, e.g. ref.null of a bottom type, that wabt 1.0.32 rejects;
  // with these, reading rejects a module that needs others.
  wasm::Module module;
  module.features = wasm::FeatureSet::MVP | wasm::FeatureSet::MutableGlobals |
                    wasm::FeatureSet::TruncSat | wasm::FeatureSet::SignExt |
                    wasm::FeatureSet::BulkMemory | wasm::FeatureSet::BulkMemoryOpt |
                    wasm::FeatureSet::ReferenceTypes | wasm::FeatureSet::Multivalue;
  try {
    wasm::ModuleReader reader;
    if (!reader.isBinaryFile(input)) {
      std::fprintf(stderr, "binaryen132-probe: %s is not a wasm binary\n", input.c_str());
      return 1;
    }
    reader.readBinary(input, module);
  } catch (const wasm::ParseException& e) {
    std::fprintf(stderr, "binaryen132-probe: cannot read %s: %s\n", input.c_str(), e.text.c_str());
    return 1;
  }

  if (!wasm::WasmValidator().validate(module)) {
    std::fprintf(stderr, "binaryen132-probe: %s does not validate\n", input.c_str());
    return 1;
  }

  wasm::PassOptions options;
  wasm::ModuleWriter writer(options);
  writer.setBinary(true);
  writer.setDebugInfo(true);  // keep the name section
  writer.write(module, output);

  std::size_t imported_tables = 0;
  for (const auto& table : module.tables) {
    imported_tables += table->imported() ? 1 : 0;
  }
  std::printf("binaryen132-probe: Binaryen %s read %s (%zu tables, %zu imported; %zu element "
              "segments; %zu functions; %zu exports), validated it, wrote %s\n",
              PROJECT_VERSION, input.c_str(), module.tables.size(), imported_tables,
              module.elementSegments.size(), module.functions.size(), module.exports.size(),
              output.c_str());
  return 0;
}
