#include "diagnostic.h"

#include <cstdio>

namespace viewsan {

std::string formatDiagnostic(std::string_view file, const Diagnostic& diagnostic) {
  std::string line(file);
  if (diagnostic.offset) {
    char offset[32];
    snprintf(offset, sizeof(offset), ":%07zx", *diagnostic.offset);
    line += offset;
  }
  line += diagnostic.severity == Diagnostic::Severity::Error ? ": error: " : ": note: ";
  return line + diagnostic.message;
}

} // namespace viewsan
