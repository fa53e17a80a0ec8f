#include "instrumenter.h"

#include "binary-scan.h"
#include "binaryen-output.h"
#include "isolated-run.h"
#include "test-support.h"

#include <gtest/gtest.h>
#include <parser/wat-parser.h>
#include <wasm.h>

#include <random>

namespace viewsan {
namespace {

using test::module;
using test::readTestData;
using test::section;

InstrumentResult instrument(const std::string& bytes, InstrumentOptions options = {}) {
  ScanResult scan = scanModule(bytes);
  EXPECT_FALSE(scan.error) << scan.error->message;
  return instrumentModule(bytes, scan.module, options);
}

// Instruments in a child process, as the tool does, and returns the one diagnostic a failure
// comes down to.
std::optional<Diagnostic> failureInChild(const std::string& bytes) {
  ScanResult scan = scanModule(bytes);
  if (scan.error) {
    return Diagnostic{Diagnostic::Severity::Error, scan.error->offset, scan.error->message};
  }
  IsolatedRun run =
    runIsolated([&] { return encodeResult(instrumentModule(bytes, scan.module, {})); });
  std::optional<InstrumentResult> result;
  if (run.completed) {
    result = decodeResult(run.result);
  }
  if (!result) {
    return describeFailedChild(run.output, run.howItEnded);
  }
  if (!result->ok) {
    return result->diagnostics.back();
  }
  return std::nullopt;
}

TEST(Instrumenter, InstrumentsARealModuleOnce) {
  InstrumentResult result = instrument(readTestData("program.wasm"));
  ASSERT_TRUE(result.ok);
  ScanResult again = scanModule(result.output);
  ASSERT_TRUE(again.error);
  EXPECT_EQ(again.error->message, "module is already instrumented: it has a viewsan.sites section");
}

TEST(Instrumenter, ListsWithoutWriting) {
  InstrumentOptions options;
  options.output = InstrumentOptions::Output::Listing;
  options.moduleName = "app";
  options.moduleNameOrigin = "--module-name";
  InstrumentResult result = instrument(readTestData("heap.wasm"), options);
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.output.rfind("module       app (from the --module-name)\n", 0), 0u)
    << result.output;
  EXPECT_NE(result.output.find("coverage     complete\n"), std::string::npos) << result.output;
}

TEST(Instrumenter, RefusesAMissingFlagNamedAllocator) {
  InstrumentOptions options;
  options.allocators.push_back(
    {"arena_alloc", AllocRole::Alloc, defaultPositions(AllocRole::Alloc)});
  InstrumentResult result = instrument(readTestData("heap.wasm"), options);
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].message,
            "--alloc arena_alloc: no function has this export name or name-section name");
}

// wasm-ld writes demangled C++ names in the name section; Emscripten builds keep them with -g2.
TEST(Instrumenter, FindsCxxOperatorsByTheirDemangledNames) {
  using test::bytes;
  using test::vec;
  std::string types = bytes({2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 0});
  std::string functions = bytes({2, 0, 1});
  std::string memory = bytes({1, 0, 1});
  std::string code = bytes({2}) + vec(bytes({0, 0x20, 0, 0x0b})) + vec(bytes({0, 0x0b}));
  std::string functionNames =
    bytes({2, 0}) + vec("operator new(unsigned long)") + bytes({1}) + vec("operator delete(void*)");
  std::string names = vec("name") + bytes({1}) + vec(functionNames);
  InstrumentOptions options;
  options.output = InstrumentOptions::Output::Listing;
  InstrumentResult result = instrument(module({section(1, types),
                                               section(3, functions),
                                               section(5, memory),
                                               section(10, code),
                                               section(0, names)}),
                                       options);
  ASSERT_TRUE(result.ok);
  EXPECT_NE(
    result.output.find("  operator new(unsigned long)  alloc  size=0  0 direct calls  found "
                       "by name \"operator new(unsigned long)\"\n"),
    std::string::npos)
    << result.output;
  EXPECT_NE(
    result.output.find("  operator delete(void*)       free   ptr=0   0 direct calls  found "
                       "by name \"operator delete(void*)\"\n"),
    std::string::npos)
    << result.output;
}

// A module whose function "make" calls "malloc", at app.c:12 by its source map.
struct MappedModule {
  std::string binary, sourceMap;
};

MappedModule mappedModule() {
  wasm::Module parsed;
  auto status = wasm::WATParser::parseModule(parsed, R"(
    (module (memory 1)
      (func $malloc (export "malloc") (param $size i32) (result i32)
        ;;@ alloc.c:3:5
        (i32.const 1024))
      (func $free (export "free") (param $ptr i32))
      (func $make (export "make") (param $n i32) (result i32)
        ;;@ app.c:12:10
        (call $malloc (local.get $n))))
  )");
  EXPECT_FALSE(status.getErr()) << status.getErr()->msg;
  test::WrittenModule written = test::writeModule(parsed, "app.wasm.map");
  return MappedModule{std::move(written.binary), std::move(written.sourceMap)};
}

TEST(Instrumenter, WritesTheSourceMapWithoutTheSites) {
  MappedModule mapped = mappedModule();
  InstrumentOptions options;
  options.inputSourceMap = mapped.sourceMap;
  options.inputSourceMapName = "app.wasm.map";
  options.outputSourceMapUrl = "app.vs.wasm.map";
  InstrumentResult result = instrument(mapped.binary, options);
  ASSERT_TRUE(result.ok);
  EXPECT_TRUE(result.diagnostics.empty()) << result.diagnostics[0].message;
  ASSERT_TRUE(result.sourceMap);
  EXPECT_EQ(result.sourceMap->find("viewsan.sites"), std::string::npos) << *result.sourceMap;
  EXPECT_NE(result.sourceMap->find("\"sources\":[\"alloc.c\",\"app.c\"]"), std::string::npos)
    << *result.sourceMap;
  EXPECT_NE(result.output.find("app.vs.wasm.map"), std::string::npos);
  // The sites still have their offsets.
  EXPECT_EQ(result.output.find("\"offset\":null"), std::string::npos);
}

TEST(Instrumenter, RefusesAMalformedSourceMapItWasGiven) {
  MappedModule mapped = mappedModule();
  InstrumentOptions options;
  options.inputSourceMap = "{\"version\":3,";
  options.inputSourceMapName = "bad.map";
  options.inputSourceMapGiven = true;
  options.outputSourceMapUrl = "out.map";
  InstrumentResult result = instrument(mapped.binary, options);
  EXPECT_FALSE(result.ok);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics.back().message.rfind("bad.map: cannot read the source map: ", 0),
            0u)
    << result.diagnostics.back().message;
}

TEST(Instrumenter, NotesASourceMapTheSectionNamesButThatCannotBeRead) {
  MappedModule mapped = mappedModule();
  InstrumentOptions options;
  options.inputSourceMap = "not json";
  options.inputSourceMapName = "app.wasm.map";
  options.outputSourceMapUrl = "out.map";
  InstrumentResult result = instrument(mapped.binary, options);
  ASSERT_TRUE(result.ok);
  EXPECT_FALSE(result.sourceMap);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].message.rfind(
              "app.wasm.map: cannot read the source map the sourceMappingURL section names (", 0),
            0u)
    << result.diagnostics[0].message;
}

TEST(Instrumenter, HooksAMemoryGrowInsideAGcInstruction) {
  // A memory.grow in call_ref's operands.
  wasm::Module parsed;
  auto status = wasm::WATParser::parseModule(parsed, R"(
    (module (memory 1) (type $f (func (param i32))) (elem declare func $f)
      (func $f (export "f") (param i32) (call_ref $f (memory.grow (i32.const 1)) (ref.func $f))))
  )");
  ASSERT_FALSE(status.getErr()) << status.getErr()->msg;
  parsed.features = wasm::FeatureSet::MVP | wasm::FeatureSet::ReferenceTypes | wasm::FeatureSet::GC;
  parsed.hasFeaturesSection = true;
  std::string bytes = test::writeModule(parsed).binary;

  InstrumentOptions options;
  options.output = InstrumentOptions::Output::Listing;
  InstrumentResult result = instrument(bytes, options);
  ASSERT_TRUE(result.ok);
  ASSERT_EQ(result.diagnostics.size(), 1u); // no allocator found
  EXPECT_NE(result.output.find("memory.grow  1 instruction\n"), std::string::npos) << result.output;
}

TEST(Instrumenter, EncodesItsResultForTheParent) {
  InstrumentResult result;
  result.ok = true;
  result.diagnostics = {{Diagnostic::Severity::Note, std::nullopt, "two\nlines"},
                        {Diagnostic::Severity::Error, 4, "bad magic value"}};
  result.output = std::string("\0asm\n\n binary", 13);
  result.sourceMap = "{\"version\":3}\n";
  std::optional<InstrumentResult> decoded = decodeResult(encodeResult(result));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->ok);
  ASSERT_EQ(decoded->diagnostics.size(), 2u);
  EXPECT_EQ(decoded->diagnostics[0].message, "two lines");
  EXPECT_FALSE(decoded->diagnostics[0].offset);
  EXPECT_EQ(decoded->diagnostics[1].severity, Diagnostic::Severity::Error);
  EXPECT_EQ(decoded->diagnostics[1].offset, 4u);
  EXPECT_EQ(decoded->output, result.output);
  EXPECT_EQ(decoded->sourceMap, result.sourceMap);
  result.sourceMap.reset();
  decoded = decodeResult(encodeResult(result));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->output, result.output);
  EXPECT_FALSE(decoded->sourceMap);
  EXPECT_FALSE(decodeResult("ok 99\n\nshort"));
  EXPECT_FALSE(decodeResult("ok\nnote - cut short"));
  EXPECT_FALSE(decodeResult("maybe\n\n"));
}

// Cut at a section boundary, a module is well framed, and only Binaryen can tell whether it is
// still valid (without its data section, say). Whatever it decides, the run ends in either a
// written module or one line.
TEST(Instrumenter, TruncationsTheScanAcceptsEndInOneLineOrAModule) {
  std::string bytes = readTestData("program.wasm");
  ByteReader reader(std::string_view(bytes).substr(8), 8);
  while (!reader.atEnd()) {
    uint8_t id;
    uint32_t size;
    ASSERT_TRUE(reader.readByte(id, "id") && reader.readU32(size, "size") &&
                reader.skip(size, "section"));
    std::optional<Diagnostic> failure = failureInChild(bytes.substr(0, reader.offset()));
    if (failure) {
      EXPECT_FALSE(failure->message.empty());
      EXPECT_EQ(failure->message.find('\n'), std::string::npos) << failure->message;
    }
  }
}

// A type section with a plausible count and random entries passes the scan and reaches
// Binaryen's reader, which exits the child; the parent reports one line.
TEST(Instrumenter, GarbageBinaryenRejectsEndsInOneLine) {
  std::mt19937 random(7);
  for (int round = 0; round < 40; ++round) {
    std::string garbage(1, char(1 + random() % 3));
    for (size_t length = 3 + random() % 32; length > 0; --length) {
      garbage.push_back(char(random()));
    }
    std::optional<Diagnostic> failure = failureInChild(module({section(1, garbage)}));
    ASSERT_TRUE(failure) << "round " << round;
    EXPECT_FALSE(failure->message.empty());
    EXPECT_EQ(failure->message.find('\n'), std::string::npos) << failure->message;
  }
}

TEST(BinaryenOutput, DescribesAParseException) {
  Diagnostic diagnostic = describeFailedChild(
    "[parse exception: Section extends beyond end of input (at 0:26)]Fatal: error in parsing "
    "wasm binary\n",
    "exit status 1");
  EXPECT_EQ(diagnostic.offset, 26u);
  EXPECT_EQ(diagnostic.message, "Section extends beyond end of input");
}

TEST(BinaryenOutput, DescribesACrash) {
  Diagnostic diagnostic = describeFailedChild("", "signal 11 (Segmentation fault)");
  EXPECT_FALSE(diagnostic.offset);
  EXPECT_EQ(diagnostic.message, "instrumenting failed (signal 11 (Segmentation fault))");
}

TEST(BinaryenOutput, KeepsTheFirstValidationError) {
  EXPECT_EQ(firstValidationError("[wasm-validator error in function 0] function body type must "
                                 "match, if function returns, on \n(i64.const 1)\n\n[wasm-"
                                 "validator error in function 1] other\n"),
            "[wasm-validator error in function 0] function body type must match, if function "
            "returns");
}

} // namespace
} // namespace viewsan
