#include "binary-scan.h"

#include "test-support.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace viewsan {
namespace {

using test::bytes;
using test::module;
using test::readTestData;
using test::section;
using test::vec;

// Offsets where a section ends in a well-formed module, and where the first one starts.
std::set<size_t> sectionBoundaries(const std::string& bytes) {
  std::set<size_t> boundaries = {8};
  ByteReader reader(std::string_view(bytes).substr(8), 8);
  while (!reader.atEnd()) {
    uint8_t id;
    uint32_t size;
    EXPECT_TRUE(reader.readByte(id, "id") && reader.readU32(size, "size") &&
                reader.skip(size, "section"));
    boundaries.insert(reader.offset());
  }
  return boundaries;
}

TEST(BinaryScan, RejectsWhatIsNotAModule) {
  ScanResult empty = scanModule("");
  ASSERT_TRUE(empty.error);
  EXPECT_EQ(empty.error->offset, 0u);
  EXPECT_EQ(empty.error->message, "unexpected end of file reading magic");

  ScanResult text = scanModule("(module)\n");
  ASSERT_TRUE(text.error);
  EXPECT_EQ(text.error->offset, 4u);
  EXPECT_EQ(text.error->message, "bad magic value");

  ScanResult version = scanModule(std::string("\0asm\2\0\0\0", 8));
  ASSERT_TRUE(version.error);
  EXPECT_EQ(version.error->offset, 8u);
  EXPECT_EQ(version.error->message, "bad wasm file version: 0x2 (expected 0x1)");
}

TEST(BinaryScan, AcceptsTheSmallestModule) {
  ScanResult result = scanModule(module({}));
  EXPECT_FALSE(result.error) << result.error->message;
  EXPECT_FALSE(result.module.hasNameSection);
}

TEST(BinaryScan, EveryTruncationOfARealModuleFailsUnlessItEndsBetweenSections) {
  std::string bytes = readTestData("program.wasm");
  ASSERT_FALSE(scanModule(bytes).error);
  std::set<size_t> boundaries = sectionBoundaries(bytes);
  for (size_t length = 0; length < bytes.size(); ++length) {
    ScanResult result = scanModule(std::string_view(bytes).substr(0, length));
    if (!boundaries.count(length)) {
      ASSERT_TRUE(result.error) << "truncated to " << length << " bytes";
      ASSERT_TRUE(result.error->offset);
      EXPECT_LE(*result.error->offset, length);
      EXPECT_EQ(result.error->message.find('\n'), std::string::npos);
    }
  }
}

TEST(BinaryScan, NeverReadsOutOfBoundsOnDamagedInput) {
  std::string original = readTestData("program.wasm");
  std::mt19937 random(42);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = original;
    for (int flips = 1 + random() % 8; flips > 0; --flips) {
      bytes[random() % bytes.size()] = char(random());
    }
    scanModule(bytes);
  }
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = module({});
    for (size_t length = random() % 64; length > 0; --length) {
      bytes.push_back(char(random()));
    }
    scanModule(bytes);
  }
}

TEST(BinaryScan, ReadsTheNameSection) {
  std::string functionNames = bytes({2, 0}) + vec("alpha") + bytes({5}) + vec("beta");
  std::string names = vec("name") + bytes({0}) + vec(vec("demo")) + bytes({1}) + vec(functionNames);
  ScanResult result = scanModule(module({section(0, names)}));
  ASSERT_FALSE(result.error);
  EXPECT_TRUE(result.module.hasNameSection);
  EXPECT_EQ(result.module.moduleName, "demo");
  EXPECT_EQ(result.module.functionNames,
            (std::map<uint32_t, std::string>{{0, "alpha"}, {5, "beta"}}));
}

TEST(BinaryScan, TreatsAMalformedNameSectionAsAbsent) {
  // The function names subsection claims more bytes than it has.
  std::string names = vec("name") + bytes({1, 0x7f, 1});
  ScanResult result = scanModule(module({section(0, names)}));
  ASSERT_FALSE(result.error);
  EXPECT_FALSE(result.module.hasNameSection);
  EXPECT_TRUE(result.module.functionNames.empty());
}

// What Binaryen reads itself is left to it: imports of any encoding (compact imports included),
// memories of any kind, the strings of stringref.
TEST(BinaryScan, LeavesTheContentsOfSectionsToBinaryen) {
  // A compact import group (kind 0x7f: one module, then names with their types), a memory with
  // custom page sizes (flags 0x08), and a strings section (id 14) between tags and globals.
  std::string imports = bytes({1}) + vec("env") + vec("") + bytes({0x7f, 1}) + vec("f") +
                        bytes({0, 0});
  std::string memory = bytes({1, 0x08, 1, 0});
  ScanResult result = scanModule(module({section(1, bytes({1, 0x60, 0, 0})),
                                         section(2, imports),
                                         section(5, memory),
                                         section(14, bytes({0, 1}) + vec("hi")),
                                         section(6, bytes({0}))}));
  EXPECT_FALSE(result.error) << result.error->message;
}

// Imports from "viewsan" are found once Binaryen has read the module (instrumenter-test.cpp).
TEST(BinaryScan, FindsAnInstrumentedModule) {
  ScanResult sites = scanModule(module({section(0, vec("viewsan.sites") + "{}")}));
  ASSERT_TRUE(sites.error);
  EXPECT_EQ(sites.error->offset, 8u);
  EXPECT_EQ(sites.error->message, "module is already instrumented: it has a viewsan.sites section");
}

TEST(BinaryScan, RejectsSectionsOutOfPlace) {
  std::string memory = section(5, bytes({1, 0, 1}));
  ScanResult duplicate = scanModule(module({memory, memory}));
  ASSERT_TRUE(duplicate.error);
  EXPECT_EQ(duplicate.error->message, "duplicate memory section");

  ScanResult order = scanModule(module({memory, section(1, bytes({0}))}));
  ASSERT_TRUE(order.error);
  EXPECT_EQ(order.error->message, "type section out of order");

  // Binaryen would make the segments the data count section announces, then fail on a second
  // segment 0 in the data section that came first: Fatal().
  ScanResult dataFirst = scanModule(module({section(11, bytes({0})), section(12, bytes({0}))}));
  ASSERT_TRUE(dataFirst.error);
  EXPECT_EQ(dataFirst.error->message, "data count section out of order");

  ScanResult unknown = scanModule(module({section(99, "")}));
  ASSERT_TRUE(unknown.error);
  EXPECT_EQ(unknown.error->offset, 8u);
  EXPECT_EQ(unknown.error->message, "invalid section id: 99");
}

TEST(BinaryScan, RejectsCountsNoSectionCouldHold) {
  // A type section claiming 2^32-1 types in 5 bytes: Binaryen would size a table by it.
  ScanResult types = scanModule(module({section(1, bytes({0xff, 0xff, 0xff, 0xff, 0x0f}))}));
  ASSERT_TRUE(types.error);
  EXPECT_EQ(types.error->offset, 10u);
  EXPECT_EQ(types.error->message, "type count 4294967295 is more than the section can hold");

  // Binaryen makes every data segment the data count section announces before it reads one.
  ScanResult dataCount = scanModule(module({section(12, bytes({0xff, 0xff, 0xff, 0x0f}))}));
  ASSERT_TRUE(dataCount.error);
  EXPECT_EQ(dataCount.error->message,
            "the data count section says 33554431 data segments but the data section has 0");
  ScanResult dataSegments = scanModule(module({section(11, bytes({0xff, 0xff, 0xff, 0x0f}))}));
  ASSERT_TRUE(dataSegments.error);
  EXPECT_EQ(dataSegments.error->message,
            "data segment count 33554431 is more than the section can hold");

  // One function whose body declares 2^32-1 i32 locals.
  std::string functions = bytes({1, 0});
  std::string code = bytes({1}) + vec(bytes({1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b}));
  ScanResult locals = scanModule(
    module({section(1, bytes({1, 0x60, 0, 0})), section(3, functions), section(10, code)}));
  ASSERT_TRUE(locals.error);
  EXPECT_EQ(locals.error->message, "too many locals: more than 50000");
}

TEST(BinaryScan, ReadsTheReferenceTypesOfLocals) {
  // Locals of each kind of reference type Binaryen 132 reads, then a global of a one-byte one:
  // structref (0x6b) and i31ref (0x6c) are one byte, (ref $0) is 0x64 0x00, (ref null exact $0)
  // is 0x63 0x62 0x00, (ref null shared any) is 0x63 0x65 0x6e.
  std::string functions = bytes({1, 0});
  std::string locals = bytes({5, 1, 0x6b, 1, 0x6c, 1, 0x64, 0x00, 1, 0x63, 0x62, 0x00, 1, 0x63,
                              0x65, 0x6e, 0x0b});
  std::string code = bytes({1}) + vec(locals);
  ScanResult result = scanModule(
    module({section(1, bytes({1, 0x60, 0, 0})), section(3, functions), section(10, code)}));
  EXPECT_FALSE(result.error) << result.error->message;

  ScanResult unknown = scanModule(module({section(1, bytes({1, 0x60, 0, 0})),
                                          section(3, functions),
                                          section(10, bytes({1}) + vec(bytes({1, 1, 0x5a, 0x0b})))}));
  ASSERT_TRUE(unknown.error);
  EXPECT_EQ(unknown.error->message, "unsupported value type: 0x5a");
}

TEST(BinaryScan, ReadsTheFeaturesTheModuleSaysItUses) {
  std::string features = bytes({2, '+'}) + vec("bulk-memory") + bytes({'-'}) + vec("simd128");
  ScanResult result = scanModule(module({section(0, vec("target_features") + features)}));
  ASSERT_FALSE(result.error);
  EXPECT_EQ(result.module.usedFeatures, (std::vector<std::string>{"bulk-memory"}));
}

TEST(BinaryScan, ListsDwarfSections) {
  ScanResult result =
    scanModule(module({section(0, vec(".debug_info") + "x"), section(0, vec(".debug_line"))}));
  ASSERT_FALSE(result.error);
  EXPECT_EQ(result.module.dwarfSections, (std::vector<std::string>{".debug_info", ".debug_line"}));
}

} // namespace
} // namespace viewsan

namespace viewsan {
namespace {

// The start section holds one function index, which is no count of entries to check.
TEST(BinaryScan, AcceptsAStartFunctionOfAnyIndex) {
  const std::string types = section(1, bytes({1, 0x60, 0, 0}));
  const std::string functions = section(3, bytes({4, 0, 0, 0, 0}));
  const std::string start = section(8, bytes({3}));
  const std::string code = section(10, bytes({4, 2, 0, 0x0b, 2, 0, 0x0b, 2, 0, 0x0b, 2, 0, 0x0b}));
  ScanResult scan = scanModule(module({types, functions, start, code}));
  EXPECT_FALSE(scan.error) << scan.error->message;
}

} // namespace
} // namespace viewsan
