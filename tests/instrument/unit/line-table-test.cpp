#include "line-table.h"

#include "test-support.h"
#include "written-code.h"

#include <gtest/gtest.h>
#include <parser/wat-parser.h>
#include <wasm.h>

#include <algorithm>
#include <cstdlib>

namespace viewsan {
namespace {

using test::writeModule;

void parse(wasm::Module& module, const char* text) {
  auto status = wasm::WATParser::parseModule(module, text);
  ASSERT_FALSE(status.getErr()) << status.getErr()->msg;
}

// The section's rows, each a list of numbers, from its JSON as the writer lays it out.
std::vector<std::vector<int64_t>> rowsOf(const std::string& json) {
  std::vector<std::vector<int64_t>> rows;
  const size_t start = json.find("\"rows\":[");
  EXPECT_NE(start, std::string::npos) << json;
  const char* at = json.c_str() + start + 8;
  while (*at == '[') {
    rows.emplace_back();
    ++at;
    while (*at != ']') {
      char* end;
      rows.back().push_back(std::strtoll(at, &end, 10));
      at = *end == ',' ? end + 1 : end;
    }
    ++at; // the row's ]
    at += *at == ',';
  }
  return rows;
}

// The row in force at `offset`: the last at or before it.
std::vector<int64_t> rowAt(const std::vector<std::vector<int64_t>>& rows, uint64_t offset) {
  std::vector<int64_t> found;
  for (const std::vector<int64_t>& row : rows) {
    if (uint64_t(row[0]) <= offset) {
      found = row;
    }
  }
  return std::vector<int64_t>(found.begin() + (found.empty() ? 0 : 1), found.end());
}

// A module with no DWARF: each instruction's row comes from the map written with it, with one
// frame, named after the wasm function it is in (the name section's name, else the export's),
// lines and columns counted from 1. The bytes of a file left out belong with what precedes them.
TEST(LineTable, FromTheSourceMapWhenThereIsNoDwarf) {
  wasm::Module module;
  parse(module, R"(
    (module
      (import "env" "log" (func $log (param i32)))
      (func $first (param i32)
        ;;@ app.c:3:5
        (call $log
          ;;@ app.c:3:9
          (local.get 0))
        ;;@ app.c:4:5
        (call $log
          ;;@ viewsan.sites:1:1
          (i32.const 1)))
      (func (export "second")
        ;;@ lib.c:10:0
        (call $first (i32.const 2))))
  )");
  const auto sites = std::find(
    module.debugInfoFileNames.begin(), module.debugInfoFileNames.end(), "viewsan.sites");
  ASSERT_NE(sites, module.debugInfoFileNames.end());
  const uint32_t sitesFile = uint32_t(sites - module.debugInfoFileNames.begin());
  // Where the function begins, as emcc's maps give it: the writer maps its body's start there.
  const uint32_t app = 0;
  ASSERT_EQ(module.debugInfoFileNames[app], "app.c");
  module.getFunction("first")->prologLocation = wasm::Function::DebugLocation{app, 2, 0, {}};
  test::WrittenModule written = writeModule(module, "app.wasm.map");
  std::optional<std::string> json =
    lineTableJson(module, written.binary, written.sourceMap, sitesFile);
  ASSERT_TRUE(json);
  EXPECT_NE(json->find("\"files\":[\"app.c\",\"lib.c\"]"), std::string::npos) << *json;
  EXPECT_NE(json->find("\"functions\":[\"first\",\"second\"]"), std::string::npos) << *json;

  std::optional<WrittenCode> code = readWrittenCode(written.binary, 1);
  ASSERT_TRUE(code);
  ASSERT_EQ(code->bodies.size(), 2u);
  // Each body: no locals (one byte), then its instructions, two bytes each.
  const uint64_t first = code->bodies[0].start, second = code->bodies[1].start;
  const std::vector<std::vector<int64_t>> rows = rowsOf(*json);
  using Row = std::vector<int64_t>;
  EXPECT_EQ(rowAt(rows, first - 1), Row{}) << *json;
  EXPECT_EQ(rowAt(rows, first), (Row{0, 0, 2, 1})) << *json;       // its locals
  EXPECT_EQ(rowAt(rows, first + 1), (Row{0, 0, 3, 10})) << *json;   // local.get
  EXPECT_EQ(rowAt(rows, first + 3), (Row{0, 0, 3, 6})) << *json;    // call
  EXPECT_EQ(rowAt(rows, first + 5), (Row{0, 0, 3, 6})) << *json;    // i32.const, left out
  EXPECT_EQ(rowAt(rows, first + 7), (Row{0, 0, 4, 6})) << *json;    // call
  EXPECT_EQ(rowAt(rows, second), Row{}) << *json;
  EXPECT_EQ(rowAt(rows, second + 3), (Row{1, 1, 10, 1})) << *json;  // call
}

TEST(LineTable, NothingWithoutDwarfOrMap) {
  wasm::Module module;
  parse(module, "(module (func $f (drop (i32.const 1))))");
  test::WrittenModule written = writeModule(module, "app.wasm.map");
  EXPECT_FALSE(lineTableJson(module, written.binary, written.sourceMap));
}

} // namespace
} // namespace viewsan
