// Runs work in a forked child process, so that a library which ends the process on bad input
// ends only the child. Binaryen 132 still prints "Fatal: ..." and exits on some bad input (an
// invalid GC type definition, a name that does not exist), and some paths abort; in the child,
// that becomes a failed run the parent can describe in one line, with nothing written.
//
// fork() copies only the calling thread, so call this before anything in the process starts
// threads (Binaryen starts its thread pool on first use: only the child should use Binaryen).

#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace viewsan {

struct IsolationLimits {
  // Address space the child may take beyond what it has when it starts: an allocation past it
  // fails (std::bad_alloc) instead of the machine swapping on a count no module could need.
  uint64_t memoryBytes = uint64_t(4) << 30;
  // The stack the work runs on: Binaryen's writer recurses once per level of nesting, and the
  // default 8 MiB ends at about 50,000 levels. Only the pages used are ever touched.
  uint64_t stackBytes = uint64_t(1) << 30;
};

struct IsolatedRun {
  // The work returned, its result arrived whole, and the child exited with status 0.
  bool completed = false;
  std::string result;
  // Everything the child wrote to stdout and stderr; it never reaches the parent's own.
  std::string output;
  // How the child ended when it did not complete, e.g. "exit status 1" or "signal 6 (Aborted)".
  std::string howItEnded;
};

// A `work` that throws std::exception ends the child with kWorkFailed and its message on stderr
// ("out of memory (...)" for std::bad_alloc).
inline constexpr const char* kWorkFailed = "work failed: ";
IsolatedRun runIsolated(const std::function<std::string()>& work, IsolationLimits limits = {});

} // namespace viewsan
