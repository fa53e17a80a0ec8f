// The unit tests use Binaryen in this process and also fork children that use it. fork() copies
// only the calling thread, so a child would wait forever on the workers of a thread pool Binaryen
// started in the parent. One core means no pool.

#include <gtest/gtest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  setenv("BINARYEN_CORES", "1", 1);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
