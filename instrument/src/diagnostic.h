// Messages about the input module, printed one per line in the form wabt uses:
// "in.wasm:0000004: error: bad magic value", the offset omitted when there is none.

#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace viewsan {

struct Diagnostic {
  enum class Severity { Note, Error };
  Severity severity;
  std::optional<size_t> offset; // file offset in the input module
  std::string message;          // one line
};

std::string formatDiagnostic(std::string_view file, const Diagnostic& diagnostic);

} // namespace viewsan
