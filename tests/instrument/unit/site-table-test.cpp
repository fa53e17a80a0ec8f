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

TEST(SitesJson, HasTheShapeOfContract1) {
  std::vector<Site> sites = {
    {SiteKind::Export, 0, 0, 123, nullptr},
    {SiteKind::Call, 2, 0, std::nullopt, nullptr},
    {SiteKind::MemoryGrow, 1, std::nullopt, 456, nullptr},
  };
  auto nameOf = [](uint32_t index) {
    return index == 0 ? std::string("malloc") : index == 1 ? "sbrk" : "say \"hi\"";
  };
  EXPECT_EQ(
    sitesJson("app", Coverage::Complete, sites, nameOf),
    "{\"version\":1,\"module\":\"app\",\"coverage\":\"complete\",\"sites\":["
    "{\"id\":0,\"kind\":\"export\",\"func\":\"malloc\",\"callee\":\"malloc\",\"offset\":123},"
    "{\"id\":1,\"kind\":\"call\",\"func\":\"say "
    "\\\"hi\\\"\",\"callee\":\"malloc\",\"offset\":null},"
    "{\"id\":2,\"kind\":\"memory.grow\",\"func\":\"sbrk\",\"callee\":null,\"offset\":456}]}");
  EXPECT_EQ(sitesJson("a\\b", Coverage::Partial, {}, nameOf),
            "{\"version\":1,\"module\":\"a\\\\b\",\"coverage\":\"partial\",\"sites\":[]}");
}

} // namespace
} // namespace viewsan
