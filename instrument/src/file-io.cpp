#include "file-io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace viewsan {

namespace {

std::string directoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string fileNameOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

bool readFile(const std::string& path, std::string& contents, std::string& error) {
  FILE* file = fopen(path.c_str(), "rb");
  if (!file) {
    error = strerror(errno);
    return false;
  }
  contents.clear();
  char buffer[65536];
  size_t read;
  while ((read = fread(buffer, 1, sizeof(buffer), file)) > 0) {
    contents.append(buffer, read);
  }
  bool failed = ferror(file);
  if (failed) {
    error = strerror(errno);
  }
  fclose(file);
  return !failed;
}

bool writeFileAtomically(const std::string& path, std::string_view contents, std::string& error) {
  std::string temporary = directoryOf(path) + "/." + fileNameOf(path) + ".XXXXXX";
  int fd = mkstemp(temporary.data());
  if (fd < 0) {
    error = strerror(errno);
    return false;
  }
  // mkstemp makes the file private; give it the mode a new file would have.
  mode_t mask = umask(0);
  umask(mask);
  bool ok = fchmod(fd, 0666 & ~mask) == 0;
  for (size_t written = 0; ok && written < contents.size();) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    written += ok ? size_t(n) : 0;
  }
  if (!ok) {
    error = strerror(errno);
  }
  if (close(fd) != 0 && ok) {
    ok = false;
    error = strerror(errno);
  }
  if (ok && rename(temporary.c_str(), path.c_str()) != 0) {
    ok = false;
    error = strerror(errno);
  }
  if (!ok) {
    unlink(temporary.c_str());
  }
  return ok;
}

} // namespace viewsan
