#include "isolated-run.h"

#include "binaryen-output.h"

#include <gtest/gtest.h>
#include <wasm-binary.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <stdexcept>
#include <vector>

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
  // A rec group whose second struct declares the first, which is final, as its supertype:
  // Binaryen's reader ends the process with Fatal() rather than throwing.
  static const char kModule[] = "\0asm\1\0\0\0\1\x0a\x02\x4f\x00\x5f\x00\x50\x01\x00\x5f\x00";
  std::vector<char> bytes(kModule, kModule + sizeof(kModule) - 1);
  IsolatedRun run = runIsolated([&] {
    wasm::Module module;
    wasm::WasmBinaryReader(module, wasm::FeatureSet::All, bytes).read();
    return std::string("read");
  });
  ASSERT_FALSE(run.completed);
  Diagnostic diagnostic = describeFailedChild(run.output, run.howItEnded);
  EXPECT_EQ(diagnostic.severity, Diagnostic::Severity::Error);
  EXPECT_EQ(diagnostic.message,
            "Binaryen cannot read this module: invalid type: Heap type has an invalid supertype "
            "at index 1");
}

TEST(IsolatedRun, DescribesAThrownExceptionInOneLine) {
  IsolatedRun run = runIsolated([]() -> std::string { throw std::runtime_error("no such thing"); });
  ASSERT_FALSE(run.completed);
  EXPECT_EQ(describeFailedChild(run.output, run.howItEnded).message,
            "instrumenting failed: no such thing");
}

#ifndef __SANITIZE_ADDRESS__
// An allocation past the limit fails at once instead of taking the machine's memory. (A
// sanitized build reports it and aborts instead: its allocator does not throw.)
TEST(IsolatedRun, LimitsTheChildsMemory) {
  IsolationLimits limits;
  limits.memoryBytes = uint64_t(256) << 20;
  IsolatedRun run = runIsolated(
    [] {
      std::vector<char> huge(size_t(1) << 30, 1);
      return std::string(1, huge.back());
    },
    limits);
  ASSERT_FALSE(run.completed);
  EXPECT_EQ(describeFailedChild(run.output, run.howItEnded).message,
            "instrumenting failed: out of memory (the limit is 256 MiB more than at the start)");
}
#endif

// Binaryen's writer recurses once per level of nesting; the default 8 MiB stack is not enough
// for deeply nested code.
size_t recurse(size_t depth) {
  volatile char frame[512];
  frame[0] = char(depth);
  return depth == 0 ? size_t(frame[0]) : recurse(depth - 1) + 1;
}

TEST(IsolatedRun, RunsTheWorkOnALargeStack) {
  IsolatedRun run = runIsolated([] { return std::to_string(recurse(200000)); });
  EXPECT_TRUE(run.completed) << run.howItEnded << ": " << run.output;
  EXPECT_EQ(run.result, "200000");
}

} // namespace
} // namespace viewsan
