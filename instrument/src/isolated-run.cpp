#include "isolated-run.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <poll.h>
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

[[noreturn]] void runChild(const std::function<std::string()>& work, int resultFd, int outputFd) {
  dup2(outputFd, STDOUT_FILENO);
  dup2(outputFd, STDERR_FILENO);
  close(outputFd);
  std::string result = work();
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

IsolatedRun runIsolated(const std::function<std::string()>& work) {
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
    runChild(work, resultPipe[1], outputPipe[1]);
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
