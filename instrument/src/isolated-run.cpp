#include "isolated-run.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <new>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace viewsan {

namespace {

// What the child may print is kept up to this size; the rest is read and dropped.
constexpr size_t kMaxOutput = 1 << 20;
// The most the parent reserves for a result ahead of reading it.
constexpr uint64_t kMaxReserve = uint64_t(1) << 30;

bool writeAll(int fd, const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    written += size_t(n);
  }
  return true;
}

// The result goes to the parent prefixed with its length, so that a child dying halfway
// through writing it is told apart from one that finished. The prefix is written on its own,
// not joined to the result: results can be large.
std::string lengthPrefix(uint64_t size) {
  std::string prefix(8, '\0');
  for (int i = 0; i < 8; ++i) {
    prefix[i] = char(size >> (8 * i));
  }
  return prefix;
}

uint64_t prefixedLength(std::string_view framed) {
  uint64_t size = 0;
  for (int i = 0; i < 8; ++i) {
    size |= uint64_t(uint8_t(framed[i])) << (8 * i);
  }
  return size;
}

// Takes the result out of `framed`, in place.
bool unframe(std::string& framed, std::string& result) {
  if (framed.size() < 8 || prefixedLength(framed) != framed.size() - 8) {
    return false;
  }
  framed.erase(0, 8);
  result = std::move(framed);
  return true;
}

// The address space the process has now, in bytes (0 if /proc cannot say).
uint64_t addressSpaceInUse() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0;
  statm >> pages;
  return pages * uint64_t(sysconf(_SC_PAGESIZE));
}

struct ChildWork {
  const std::function<std::string()>* work;
  uint64_t memoryBytes;
  std::string result;
  std::string failure; // set when the work threw
};

void* runWork(void* argument) {
  ChildWork& child = *static_cast<ChildWork*>(argument);
  try {
    child.result = (*child.work)();
  } catch (const std::bad_alloc&) {
    child.failure = "out of memory (the limit is " +
                    std::to_string(child.memoryBytes >> 20) + " MiB more than at the start)";
  } catch (const std::exception& e) {
    child.failure = e.what();
  }
  return nullptr;
}

// Runs the work on a thread with the stack the limits give, and returns its result; ends the
// child when the work failed.
std::string runOnLargeStack(const std::function<std::string()>& work, IsolationLimits limits) {
  ChildWork child{&work, limits.memoryBytes, {}, {}};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, size_t(limits.stackBytes));
  pthread_t thread;
  if (pthread_create(&thread, &attributes, runWork, &child) == 0) {
    pthread_join(thread, nullptr);
  } else {
    runWork(&child); // no such stack to be had: the default one
  }
  pthread_attr_destroy(&attributes);
  if (!child.failure.empty()) {
    fprintf(stderr, "%s%s\n", kWorkFailed, child.failure.c_str());
    exit(1);
  }
  return std::move(child.result);
}

[[noreturn]] void runChild(const std::function<std::string()>& work,
                           IsolationLimits limits,
                           int resultFd,
                           int outputFd) {
  dup2(outputFd, STDOUT_FILENO);
  dup2(outputFd, STDERR_FILENO);
  close(outputFd);
  // Counted from what the process has already (a sanitized build reserves terabytes of shadow).
  if (uint64_t inUse = addressSpaceInUse()) {
    rlim_t limit = rlim_t(inUse + limits.stackBytes + limits.memoryBytes);
    rlimit current;
    if (getrlimit(RLIMIT_AS, &current) == 0 && (current.rlim_max == RLIM_INFINITY || limit < current.rlim_max)) {
      rlimit lowered{limit, current.rlim_max};
      setrlimit(RLIMIT_AS, &lowered);
    }
  }
  std::string result = runOnLargeStack(work, limits);
  bool sent = writeAll(resultFd, lengthPrefix(result.size())) && writeAll(resultFd, result);
  close(resultFd);
  // exit rather than _exit: the parent flushed its buffers before forking, and this lets a
  // sanitizer's leak check cover the child's work too.
  exit(sent ? 0 : 1);
}

// Reads both pipes until the child closes them; reading only one could leave the child
// blocked on the other.
void drain(int resultFd, int outputFd, std::string& framed, std::string& output) {
  pollfd fds[2] = {{resultFd, POLLIN, 0}, {outputFd, POLLIN, 0}};
  int open = 2;
  char buffer[65536];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !fds[i].revents) {
        continue;
      }
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else if (i == 0) { // the result
        bool hadPrefix = framed.size() >= 8;
        framed.append(buffer, size_t(n));
        if (!hadPrefix && framed.size() >= 8) {
          // Room for the whole result at once, rather than growing by doubling, within reason.
          framed.reserve(8 + std::min<uint64_t>(prefixedLength(framed), kMaxReserve));
        }
      } else if (output.size() < kMaxOutput) {
        output.append(buffer, size_t(n));
      }
    }
  }
  for (pollfd& fd : fds) {
    if (fd.fd >= 0) {
      close(fd.fd);
    }
  }
}

std::string describeStatus(int status) {
  if (WIFEXITED(status)) {
    return "exit status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    int signal = WTERMSIG(status);
    return "signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  }
  return "status " + std::to_string(status);
}

} // namespace

IsolatedRun runIsolated(const std::function<std::string()>& work, IsolationLimits limits) {
  IsolatedRun run;
  int resultPipe[2], outputPipe[2];
  if (pipe2(resultPipe, O_CLOEXEC) != 0) {
    run.howItEnded = std::string("cannot create a pipe: ") + strerror(errno);
    return run;
  }
  if (pipe2(outputPipe, O_CLOEXEC) != 0) {
    run.howItEnded = std::string("cannot create a pipe: ") + strerror(errno);
    close(resultPipe[0]);
    close(resultPipe[1]);
    return run;
  }
  // Anything still buffered would otherwise be written twice, once by each process.
  std::cout.flush();
  std::cerr.flush();
  fflush(nullptr);
  pid_t child = fork();
  if (child == 0) {
    close(resultPipe[0]);
    close(outputPipe[0]);
    runChild(work, limits, resultPipe[1], outputPipe[1]);
  }
  close(resultPipe[1]);
  close(outputPipe[1]);
  if (child < 0) {
    run.howItEnded = std::string("cannot fork: ") + strerror(errno);
    close(resultPipe[0]);
    close(outputPipe[0]);
    return run;
  }
  std::string framed;
  drain(resultPipe[0], outputPipe[0], framed, run.output);
  int status = 0;
  pid_t waited;
  while ((waited = waitpid(child, &status, 0)) < 0 && errno == EINTR) {
  }
  if (waited < 0) {
    run.howItEnded = std::string("cannot wait for the child: ") + strerror(errno);
    return run;
  }
  bool exitedCleanly = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  run.completed = exitedCleanly && unframe(framed, run.result);
  if (!run.completed) {
    run.howItEnded = exitedCleanly ? "the child's result was cut short" : describeStatus(status);
  }
  return run;
}

} // namespace viewsan
