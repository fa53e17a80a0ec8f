#include "test-support.h"

#include "file-io.h"

#include <gtest/gtest.h>
#include <pass.h>
#include <wasm-binary.h>

#include <sstream>

namespace viewsan::test {

std::string readTestData(const std::string& name) {
  std::string contents, error;
  std::string path = std::string(VIEWSAN_TEST_DATA_DIR) + "/" + name;
  EXPECT_TRUE(readFile(path, contents, error)) << path << ": " << error;
  return contents;
}

WrittenModule writeModule(wasm::Module& module, std::optional<std::string> sourceMapUrl) {
  wasm::BufferWithRandomAccess buffer;
  wasm::WasmBinaryWriter writer(&module, buffer, wasm::PassOptions());
  std::ostringstream map;
  if (sourceMapUrl) {
    writer.setSourceMap(&map, *sourceMapUrl);
  }
  writer.write();
  return {std::string(buffer.begin(), buffer.end()), map.str()};
}

} // namespace viewsan::test
