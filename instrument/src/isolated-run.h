// Runs work in a forked child process, so that a library which ends the process on bad input
// ends only the child. Binaryen 132 still prints "Fatal: ..." and exits on some bad input (an
// invalid GC type definition, a name that does not exist), and some paths abort; in the child,
// that becomes a failed run the parent can describe in one line, with nothing written.
//
// fork() copies only the calling thread, so call this before anything in the process starts
// threads (Binaryen starts its thread pool on first use: only the child should use Binaryen).

#pragma once

#include <functional>
#include <string>

namespace viewsan {

struct IsolatedRun {
  // The work returned, its result arrived whole, and the child exited with status 0.
  bool completed = false;
  std::string result;
  // Everything the child wrote to stdout and stderr; it never reaches the parent's own.
  std::string output;
  // How the child ended when it did not complete, e.g. "exit status 1" or "signal 6 (Aborted)".
  std::string howItEnded;
};

IsolatedRun runIsolated(const std::function<std::string()>& work);

} // namespace viewsan
