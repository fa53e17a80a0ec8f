#include "listing.h"

#include <algorithm>
#include <vector>

namespace viewsan {

namespace {

std::string plural(size_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

// Rows of cells, printed with each column as wide as its widest cell.
std::string table(const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(widths[i] - row[i].size() + 2, ' ');
      }
    }
    text += line + "\n";
  }
  return text;
}

// A "key  value" line of the summary. Values start in one column, two spaces after the longest
// key, "memory.grow".
std::string field(const std::string& key, const std::string& value) {
  constexpr size_t kValueColumn = sizeof("memory.grow") - 1 + 2;
  std::string line = key;
  line.resize(std::max(key.size() + 2, kValueColumn), ' ');
  return line + value + "\n";
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

std::string forwardsText(const Allocator& allocator, const ModuleContext& context) {
  std::vector<std::string> callees;
  for (uint32_t callee : allocator.forwardsTo) {
    callees.push_back(context.displayName(callee));
  }
  return callees.empty() ? "" : "; forwards to " + join(callees);
}

} // namespace

std::string formatListing(const InstrumentReport& report, const ModuleContext& context) {
  const ModuleScan& scan = context.scan();
  std::string text =
    field("module", report.moduleName + " (from the " + report.moduleNameOrigin + ")");
  text += field("memory", context.isMemory64() ? "memory64" : "memory32");
  text += field("names", scan.hasNameSection ? "name section present" : "no name section");
  text += field("memory.grow", plural(report.memoryGrows, "instruction", "instructions"));
  text += field("allocators", plural(report.allocators.hooked.size(), "hooked", "hooked"));

  std::vector<std::vector<std::string>> hooked;
  for (const Allocator& allocator : report.allocators.hooked) {
    auto calls = report.directCalls.find(allocator.index);
    uint32_t count = calls == report.directCalls.end() ? 0 : calls->second;
    hooked.push_back(
      {context.displayName(allocator.index),
       roleName(allocator.spec.role),
       formatPositions(allocator.spec.args),
       plural(count, "direct call", "direct calls"),
       (allocator.wrapper
          ? "found as the function " + context.displayName(*allocator.wrapper) + " forwards to"
          : "found by " + join(allocator.foundBy) +
              (allocator.requested && allocator.foundBy.front().rfind("glue", 0) != 0
                 ? std::string(" (") + "--" + roleName(allocator.spec.role) + ")"
                 : "")) +
         forwardsText(allocator, context)});
  }
  text += table(hooked, "  ");

  const auto& unhooked = report.allocators.unhooked;
  if (!unhooked.empty()) {
    text += field("not hooked", std::to_string(unhooked.size()));
    std::vector<std::vector<std::string>> rows;
    for (const UnhookedAllocator& allocator : unhooked) {
      rows.push_back({context.displayName(allocator.index), allocator.reason});
    }
    text += table(rows, "  ");
  }
  text += field("sites", std::to_string(report.sites));
  std::string coverage = coverageName(report.coverage);
  if (!report.coverageReason.empty()) {
    coverage += " (" + report.coverageReason + ")";
  }
  return text + field("coverage", coverage);
}

} // namespace viewsan
