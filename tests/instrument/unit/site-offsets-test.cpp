#include "site-offsets.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

// Segments, Base64 VLQ: "C" is 1, "E" 2, "G" 3, "D" -1, "A" 0.
TEST(SiteOffsets, TakesTheSitesFileOutOfAMap) {
  // Offsets 1, 3, 6: app.c line 0; viewsan.sites (file 1) line 0; app.c line 2, column 1.
  const std::string map = "{\"version\":3,\"sources\":[\"app.c\",\"viewsan.sites\"],"
                          "\"sourcesContent\":[\"int x;\"],\"names\":[],"
                          "\"mappings\":\"CAAA,ECAA,GDEC\"}";
  std::optional<std::string> without = sourceMapWithoutFile(map, 1);
  ASSERT_TRUE(without);
  // Offset 6 is now 5 after offset 1, and its fields count from app.c line 0.
  EXPECT_EQ(*without,
            "{\"version\":3,\"sources\":[\"app.c\"],\"sourcesContent\":[\"int x;\"],"
            "\"names\":[],\"mappings\":\"CAAA,KAEC\"}");
}

TEST(SiteOffsets, KeepsSegmentsWithoutALocationAndNames) {
  // Offset 2 has no location; offset 4 is in viewsan.sites (file 0, the only source).
  const std::string map =
    "{\"version\":3,\"sources\":[\"viewsan.sites\"],\"names\":[\"f\"],\"mappings\":\"E,EAAAA\"}";
  std::optional<std::string> without = sourceMapWithoutFile(map, 0);
  ASSERT_TRUE(without);
  EXPECT_EQ(*without, "{\"version\":3,\"sources\":[],\"names\":[\"f\"],\"mappings\":\"E\"}");
}

TEST(SiteOffsets, RefusesAMapNotAsBinaryenWritesIt) {
  EXPECT_FALSE(sourceMapWithoutFile("{\"version\":3}", 0));
  EXPECT_FALSE(sourceMapWithoutFile(
    "{\"version\":3,\"sources\":[\"app.c\"],\"names\":[],\"mappings\":\"C\"}", 0));
  EXPECT_FALSE(sourceMapWithoutFile(
    "{\"version\":3,\"sources\":[\"viewsan.sites\"],\"names\":[],\"mappings\":\"C!\"}", 0));
}

} // namespace
} // namespace viewsan
