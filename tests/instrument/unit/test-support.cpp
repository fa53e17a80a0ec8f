#include "test-support.h"

#include "file-io.h"

#include <gtest/gtest.h>

namespace viewsan::test {

std::string readTestData(const std::string& name) {
  std::string contents, error;
  std::string path = std::string(VIEWSAN_TEST_DATA_DIR) + "/" + name;
  EXPECT_TRUE(readFile(path, contents, error)) << path << ": " << error;
  return contents;
}

} // namespace viewsan::test
