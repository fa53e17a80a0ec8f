// Making one diagnostic line out of what Binaryen prints. Binaryen reports problems as text on
// stderr: a validation failure as a block per error; through its C API, a parse failure as
// "[parse exception: MESSAGE (at 0:OFFSET)]Fatal: error in parsing wasm binary" before it exits,
// and other fatal errors as "Fatal: MESSAGE".

#pragma once

#include "diagnostic.h"

#include <functional>
#include <string>
#include <string_view>

namespace viewsan {

// Runs `work` with file descriptor 2 sent to a temporary file, and returns what was written
// there: Binaryen's validator prints its findings rather than returning them.
std::string captureStderr(const std::function<void()>& work);

// The first error in the validator's output, without the expression dump that follows it.
std::string firstValidationError(std::string_view validatorOutput);

// Describes a child process that did not finish instrumenting, from what it printed and how it
// ended ("exit status 1", "signal 6 (Aborted)").
Diagnostic describeFailedChild(std::string_view output, std::string_view howItEnded);

} // namespace viewsan
