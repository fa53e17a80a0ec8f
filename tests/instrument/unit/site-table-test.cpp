#include "site-table.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(jsonString("plain"), "\"plain\"");
  EXPECT_EQ(jsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(jsonString("tab\there\nnew\rline"), "\"tab\\there\\nnew\\rline\"");
  EXPECT_EQ(jsonString(std::string("nul\0bell\a", 9)), "\"nul\\u0000bell\\u0007\"");
  EXPECT_EQ(jsonString("\x1f\x7f"), "\"\\u001f\x7f\"");
}

TEST(JsonString, KeepsValidUtf8) {
  EXPECT_EQ(jsonString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");           // é
  EXPECT_EQ(jsonString("\xe2\x82\xac"), "\"\xe2\x82\xac\"");         // €
  EXPECT_EQ(jsonString("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\""); // 😀
  EXPECT_EQ(jsonString("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\""); // U+10FFFF
}

TEST(JsonString, ReplacesEachInvalidUtf8ByteWithTheReplacementCharacter) {
  EXPECT_EQ(jsonString("\x80"), "\"\\ufffd\"");                       // lone continuation
  EXPECT_EQ(jsonString("\xe2\x82"), "\"\\ufffd\\ufffd\"");            // cut short
  EXPECT_EQ(jsonString("\xc0\xaf"), "\"\\ufffd\\ufffd\"");            // overlong '/'
  EXPECT_EQ(jsonString("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\""); // overlong '/'
  EXPECT_EQ(jsonString("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); // surrogate U+D800
  EXPECT_EQ(jsonString("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); // > U+10FFFF
  EXPECT_EQ(jsonString("a\xff"
                       "b"),
            "\"a\\ufffdb\"");
}

Site site(SiteKind kind, uint32_t func, std::optional<uint32_t> callee, std::optional<uint64_t> offset) {
  Site made{};
  made.kind = kind;
  made.func = func;
  made.callee = callee;
  made.offset = offset;
  return made;
}

TEST(SitesJson, HasTheShapeOfContract1) {
  std::vector<Site> sites = {
    site(SiteKind::Export, 0, 0, 123),
    site(SiteKind::Call, 2, 0, std::nullopt),
    site(SiteKind::MemoryGrow, 1, std::nullopt, 456),
  };
  auto nameOf = [](uint32_t index) {
    return index == 0 ? std::string("malloc") : index == 1 ? "sbrk" : "say \"hi\"";
  };
  auto exportsOf = [](uint32_t) { return std::vector<std::string>{}; };
  EXPECT_EQ(
    sitesJson("app", Coverage::Complete, sites, nameOf, exportsOf),
    "{\"version\":1,\"module\":\"app\",\"coverage\":\"complete\",\"sites\":["
    "{\"id\":0,\"kind\":\"export\",\"func\":\"malloc\",\"callee\":\"malloc\",\"offset\":123},"
    "{\"id\":1,\"kind\":\"call\",\"func\":\"say "
    "\\\"hi\\\"\",\"callee\":\"malloc\",\"offset\":null},"
    "{\"id\":2,\"kind\":\"memory.grow\",\"func\":\"sbrk\",\"callee\":null,\"offset\":456}]}");
  EXPECT_EQ(sitesJson("a\\b", Coverage::Partial, {}, nameOf, exportsOf),
            "{\"version\":1,\"module\":\"a\\\\b\",\"coverage\":\"partial\",\"sites\":[]}");
}

// The runtime wraps an allocator's exports to record the JS stacks of JavaScript's calls: an
// export site says under which names, in which role, and where the pointer and size are.
TEST(SitesJson, ExportSitesCarryTheAllocatorsRoleArgumentsAndExportNames) {
  std::vector<Site> sites = {site(SiteKind::Export, 0, 0, 1), site(SiteKind::Export, 1, 1, 2),
                             site(SiteKind::Export, 2, 2, 3)};
  sites[0].allocator = AllocatorSpec{"malloc", AllocRole::Alloc, {-1, 0, -1, -1}};
  sites[1].allocator = AllocatorSpec{"arena_free", AllocRole::Free, {1, -1, -1, -1}};
  sites[2].allocator = AllocatorSpec{"posix_memalign", AllocRole::Alloc, {-1, 2, -1, 0}};
  auto nameOf = [](uint32_t index) { return "f" + std::to_string(index); };
  auto exportsOf = [](uint32_t index) {
    return index == 0 ? std::vector<std::string>{"k", "_m"} : index == 1 ? std::vector<std::string>{"i"}
                                                                          : std::vector<std::string>{};
  };
  EXPECT_EQ(
    sitesJson("app", Coverage::Partial, sites, nameOf, exportsOf),
    "{\"version\":1,\"module\":\"app\",\"coverage\":\"partial\",\"sites\":["
    "{\"id\":0,\"kind\":\"export\",\"func\":\"f0\",\"callee\":\"f0\",\"offset\":1,"
    "\"role\":\"alloc\",\"size\":0,\"exports\":[\"k\",\"_m\"]},"
    "{\"id\":1,\"kind\":\"export\",\"func\":\"f1\",\"callee\":\"f1\",\"offset\":2,"
    "\"role\":\"free\",\"ptr\":1,\"exports\":[\"i\"]},"
    "{\"id\":2,\"kind\":\"export\",\"func\":\"f2\",\"callee\":\"f2\",\"offset\":3,"
    "\"role\":\"alloc\",\"out\":0,\"size\":2,\"exports\":[]}]}");
}

} // namespace
} // namespace viewsan
