#include "binaryen-output.h"

#include "isolated-run.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace viewsan {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view firstLine(std::string_view text) {
  text = trim(text);
  return text.substr(0, text.find('\n'));
}

// The first line that says something: a sanitizer opens its report with a line of '='.
std::string_view firstWords(std::string_view text) {
  while (!text.empty()) {
    std::string_view line = firstLine(text);
    for (char c : line) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        return line;
      }
    }
    size_t next = text.find('\n', text.find(line) + line.size());
    text = next == std::string_view::npos ? std::string_view() : text.substr(next + 1);
  }
  return text;
}

} // namespace

std::string captureStderr(const std::function<void()>& work) {
  std::cerr.flush();
  fflush(stderr);
  FILE* capture = tmpfile();
  int saved = capture ? dup(2) : -1;
  if (saved < 0 || dup2(fileno(capture), 2) < 0) {
    // Without a place to put it, the output goes to the real stderr.
    if (saved >= 0) {
      close(saved);
    }
    if (capture) {
      fclose(capture);
    }
    work();
    return {};
  }
  work();
  std::cerr.flush();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::string output;
  rewind(capture);
  char buffer[4096];
  size_t read;
  while ((read = fread(buffer, 1, sizeof(buffer), capture)) > 0) {
    output.append(buffer, read);
  }
  fclose(capture);
  return output;
}

std::string firstValidationError(std::string_view validatorOutput) {
  std::string_view line = trim(firstLine(validatorOutput));
  // Each error ends with ", on" and then the expression it is about, on the following lines.
  for (std::string_view suffix : {", on", " on"}) {
    if (line.size() >= suffix.size() && line.substr(line.size() - suffix.size()) == suffix) {
      line.remove_suffix(suffix.size());
      break;
    }
  }
  return std::string(line);
}

Diagnostic describeFailedChild(std::string_view output, std::string_view howItEnded) {
  using Severity = Diagnostic::Severity;
  static const std::string_view kParseException = "[parse exception: ";
  static const std::string_view kFatal = "Fatal: ";
  size_t parse = output.find(kParseException);
  if (parse != std::string_view::npos) {
    std::string_view message = output.substr(parse + kParseException.size());
    message = message.substr(0, message.find(']'));
    // Binaryen gives binary offsets as "(at 0:OFFSET)", in decimal.
    size_t at = message.rfind(" (at ");
    std::optional<size_t> offset;
    if (at != std::string_view::npos) {
      std::string position(message.substr(at + 5));
      size_t colon = position.find(':');
      if (colon != std::string::npos) {
        offset = std::strtoull(position.c_str() + colon + 1, nullptr, 10);
      }
      message = message.substr(0, at);
    }
    return {Severity::Error, offset, std::string(message)};
  }
  size_t failed = output.find(kWorkFailed);
  if (failed != std::string_view::npos) {
    return {Severity::Error,
            std::nullopt,
            "instrumenting failed: " +
              std::string(firstLine(output.substr(failed + std::string_view(kWorkFailed).size())))};
  }
  size_t fatal = output.find(kFatal);
  if (fatal != std::string_view::npos) {
    return {Severity::Error,
            std::nullopt,
            "Binaryen cannot read this module: " +
              std::string(firstLine(output.substr(fatal + kFatal.size())))};
  }
  std::string message = "instrumenting failed (" + std::string(howItEnded) + ")";
  std::string_view said = firstWords(output);
  if (!said.empty()) {
    message += ": " + std::string(said);
  }
  return {Severity::Error, std::nullopt, message};
}

} // namespace viewsan
