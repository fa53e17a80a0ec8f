#include "isolated-run.h"

#include "binaryen-output.h"

#include <binaryen-c.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace viewsan {
namespace {

TEST(IsolatedRun, ReturnsTheResultWhateverItsSize) {
  // Larger than a pipe's buffer, so the parent must read while the child writes.
  std::string big(3 << 20, 'x');
  IsolatedRun run = runIsolated([&] { return big; });
  EXPECT_TRUE(run.completed) << run.howItEnded;
  EXPECT_EQ(run.result, big);
}

TEST(IsolatedRun, KeepsWhatTheChildPrints) {
  IsolatedRun run = runIsolated([] {
    std::cout << "to stdout\n";
    fprintf(stderr, "to stderr\n");
    return std::string("done");
  });
  EXPECT_TRUE(run.completed) << run.howItEnded;
  EXPECT_EQ(run.result, "done");
  EXPECT_NE(run.output.find("to stdout"), std::string::npos);
  EXPECT_NE(run.output.find("to stderr"), std::string::npos);
}

TEST(IsolatedRun, SurvivesAChildThatExits) {
  IsolatedRun run = runIsolated([]() -> std::string {
    fprintf(stderr, "Fatal: giving up\n");
    exit(1);
  });
  EXPECT_FALSE(run.completed);
  EXPECT_EQ(run.howItEnded, "exit status 1");
  EXPECT_NE(run.output.find("Fatal: giving up"), std::string::npos);
}

TEST(IsolatedRun, SurvivesAChildThatAborts) {
  IsolatedRun run = runIsolated([]() -> std::string { abort(); });
  EXPECT_FALSE(run.completed);
  EXPECT_EQ(run.howItEnded, "signal 6 (Aborted)");
}

TEST(IsolatedRun, TurnsBinaryenExitingOnBadInputIntoOneDiagnostic) {
  // A well-framed module whose only function body holds opcode 0xff.
  static const char kModule[] = "\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\n\5\1\3\0\xff\x0b";
  std::string bytes(kModule, sizeof(kModule) - 1);
  IsolatedRun run = runIsolated([&] {
    BinaryenModuleRef module = BinaryenModuleRead(bytes.data(), bytes.size());
    BinaryenModuleDispose(module);
    return std::string("read");
  });
  ASSERT_FALSE(run.completed);
  Diagnostic diagnostic = describeFailedChild(run.output, run.howItEnded);
  EXPECT_EQ(diagnostic.severity, Diagnostic::Severity::Error);
  EXPECT_EQ(diagnostic.offset, 24u);
  EXPECT_EQ(diagnostic.message, "unknown operation 255");
}

} // namespace
} // namespace viewsan
