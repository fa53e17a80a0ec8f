#include "source-map-input.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

TEST(SourceMapInput, EmptiesEachNullOfSourcesContentAndNothingElse) {
  InputSourceMap map = prepareInputSourceMap(
    R"({"version":3,"sources":["a.c","null.c"],"names":["null"],)"
    R"( "sourcesContent" : [ null ,"x = \"[null]\"; // {null}", null],"mappings":"AAAA"})");
  EXPECT_FALSE(map.error);
  EXPECT_EQ(map.nullContents, 2u);
  EXPECT_EQ(map.text,
            R"({"version":3,"sources":["a.c","null.c"],"names":["null"],)"
            R"( "sourcesContent" : [ "" ,"x = \"[null]\"; // {null}", ""],"mappings":"AAAA"})");
}

TEST(SourceMapInput, LooksOnlyAtTheTopLevelObject) {
  // A member named sourcesContent inside another value is not the map's.
  const std::string text =
    R"({"x_google_ignoreList":{"sourcesContent":[null]},"version":3,"sources":[],)"
    R"("mappings":"","sourcesContent":[[null],{"a":null}]})";
  InputSourceMap map = prepareInputSourceMap(text);
  EXPECT_EQ(map.nullContents, 0u);
  EXPECT_EQ(map.text, text);
}

TEST(SourceMapInput, RefusesAVersionOtherThanThree) {
  EXPECT_EQ(prepareInputSourceMap(R"({"version":3.5,"mappings":""})").error,
            "the source map's version is 3.5, not 3");
  EXPECT_EQ(prepareInputSourceMap(R"({"version":1e20,"mappings":""})").error,
            "the source map's version is 1e20, not 3");
  EXPECT_FALSE(prepareInputSourceMap(R"({"version":3,"mappings":""})").error);
  // What is no number is for Binaryen's reader to refuse.
  EXPECT_FALSE(prepareInputSourceMap(R"({"version":"3"})").error);
}

TEST(SourceMapInput, LeavesWhatIsNotJsonAlone) {
  for (std::string text : {"", "[null]", "{\"sourcesContent\":[null", "{\"a\":[[[[", "null"}) {
    InputSourceMap map = prepareInputSourceMap(text);
    EXPECT_FALSE(map.error) << text;
    EXPECT_EQ(map.text.size() + 2 * map.nullContents, text.size()) << text;
  }
  // Nesting of any depth costs no stack.
  std::string deep = "{\"x\":" + std::string(1000000, '[') + std::string(1000000, ']') +
                     ",\"sourcesContent\":[null]}";
  EXPECT_EQ(prepareInputSourceMap(deep).nullContents, 1u);
}

} // namespace
} // namespace viewsan
