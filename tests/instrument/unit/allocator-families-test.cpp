#include "allocator-families.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

AllocatorSpec parse(AllocRole role, const std::string& value) {
  AllocatorSpec spec;
  std::optional<std::string> error = parseAllocatorFlag(role, value, spec);
  EXPECT_FALSE(error) << value << ": " << *error;
  return spec;
}

std::string parseError(AllocRole role, const std::string& value) {
  AllocatorSpec spec;
  return parseAllocatorFlag(role, value, spec).value_or("(no error)");
}

TEST(AllocatorFlags, DefaultToThePositionsOfMallocFreeAndRealloc) {
  EXPECT_EQ(formatPositions(parse(AllocRole::Alloc, "my_alloc").args), "size=0");
  EXPECT_EQ(formatPositions(parse(AllocRole::Free, "my_free").args), "ptr=0");
  EXPECT_EQ(formatPositions(parse(AllocRole::Realloc, "my_realloc").args), "ptr=0,size=1");
  EXPECT_EQ(parse(AllocRole::Alloc, "my_alloc").name, "my_alloc");
}

TEST(AllocatorFlags, TakePositionsAfterTheLastColon) {
  EXPECT_EQ(parse(AllocRole::Alloc, "ns::make").name, "ns::make");
  AllocatorSpec spec = parse(AllocRole::Alloc, "ns::make:count=1,size=2");
  EXPECT_EQ(spec.name, "ns::make");
  EXPECT_EQ(spec.args.count, 1);
  EXPECT_EQ(spec.args.size, 2);
  EXPECT_EQ(formatPositions(parse(AllocRole::Realloc, "r:size=3").args), "ptr=0,size=3");
  EXPECT_EQ(formatPositions(parse(AllocRole::Alloc, "pm:out=0,size=2").args), "out=0,size=2");
}

TEST(AllocatorFlags, RejectWhatTheRoleDoesNotTake) {
  EXPECT_EQ(parseError(AllocRole::Free, "f:size=1"), "unknown position 'size' (free takes ptr)");
  EXPECT_EQ(parseError(AllocRole::Alloc, "f:ptr=1"),
            "unknown position 'ptr' (alloc takes out, count, size)");
  EXPECT_EQ(parseError(AllocRole::Alloc, "f:size="),
            "position 'size=' needs an argument index from 0 to 999");
  EXPECT_EQ(parseError(AllocRole::Alloc, "f:size=1,count"),
            "position 'count' needs an argument index from 0 to 999");
  EXPECT_EQ(parseError(AllocRole::Alloc, "f:size=-1"),
            "position 'size=-1' needs an argument index from 0 to 999");
  EXPECT_EQ(parseError(AllocRole::Alloc, "f:size=1000"),
            "position 'size=1000' needs an argument index from 0 to 999");
  EXPECT_EQ(parseError(AllocRole::Alloc, "f:size=1,size=2"), "position 'size' given twice");
  EXPECT_EQ(parseError(AllocRole::Alloc, "f:count=0"),
            "count and size must be different arguments");
  EXPECT_EQ(parseError(AllocRole::Realloc, "f:ptr=1"), "ptr and size must be different arguments");
  EXPECT_EQ(parseError(AllocRole::Alloc, ":size=1"), "missing function name");
}

TEST(KnownAllocators, EveryEntryIsInTheHelpAndHasPositionsItsRoleTakes) {
  std::string help = knownAllocatorsHelp(80);
  for (const KnownAllocator& known : knownAllocators()) {
    EXPECT_NE(help.find(known.name), std::string::npos) << known.name;
    std::string flag = std::string(known.name) + ":" + formatPositions(known.args);
    EXPECT_EQ(formatPositions(parse(known.role, flag).args), formatPositions(known.args));
  }
  for (size_t start = 0, end; start < help.size(); start = end + 1) {
    end = help.find('\n', start);
    EXPECT_LE(end - start, 80u) << help.substr(start, end - start);
  }
}

} // namespace
} // namespace viewsan
