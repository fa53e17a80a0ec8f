#include "options.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

std::optional<std::string> parse(std::vector<std::string> args, CommandLine& cli) {
  return parseCommandLine(args, cli);
}

TEST(CommandLine, TakesValuesAttachedOrSeparate) {
  CommandLine cli;
  ASSERT_FALSE(parse({"in.wasm", "-oout.wasm", "--alloc=a:size=1", "--free", "f", "-S"}, cli));
  EXPECT_EQ(cli.action, CommandLine::Action::Instrument);
  EXPECT_EQ(cli.input, "in.wasm");
  EXPECT_EQ(cli.output, "out.wasm");
  EXPECT_TRUE(cli.text);
  ASSERT_EQ(cli.allocators.size(), 2u);
  EXPECT_EQ(cli.allocators[0].name, "a");
  EXPECT_EQ(cli.allocators[0].args.size, 1);
  EXPECT_EQ(cli.allocators[1].role, AllocRole::Free);
}

TEST(CommandLine, EndsOptionsAtDoubleDash) {
  CommandLine cli;
  ASSERT_FALSE(parse({"--list", "--", "-odd.wasm"}, cli));
  EXPECT_EQ(cli.action, CommandLine::Action::List);
  EXPECT_EQ(cli.input, "-odd.wasm");
}

TEST(CommandLine, LetsHelpAndVersionWin) {
  CommandLine help;
  ASSERT_FALSE(parse({"in.wasm", "--help", "--bogus"}, help));
  EXPECT_EQ(help.action, CommandLine::Action::Help);
  CommandLine version;
  ASSERT_FALSE(parse({"--version"}, version));
  EXPECT_EQ(version.action, CommandLine::Action::Version);
}

TEST(CommandLine, ReportsMisuse) {
  CommandLine cli;
  EXPECT_EQ(parse({"in.wasm", "-o", "a", "-o", "b"}, cli), "more than one output file");
  CommandLine text;
  EXPECT_EQ(parse({"in.wasm", "--text=yes", "-o", "a"}, text), "option '--text' takes no value");
  CommandLine fresh;
  EXPECT_EQ(parse({"in.wasm", "--module-name"}, fresh), "option '--module-name' needs a value");
  CommandLine list;
  EXPECT_EQ(parse({"in.wasm", "--list", "-S"}, list),
            "--list writes nothing; it cannot be combined with -o or -S");
}

TEST(CommandLine, TakesTheSourceMapFlags) {
  CommandLine cli;
  ASSERT_FALSE(parse({"in.wasm",
                      "-o",
                      "out.wasm",
                      "--input-source-map=in.map",
                      "--output-source-map",
                      "out.map",
                      "--output-source-map-url=https://example.com/out.map"},
                     cli));
  EXPECT_EQ(cli.inputSourceMap, "in.map");
  EXPECT_EQ(cli.outputSourceMap, "out.map");
  EXPECT_EQ(cli.outputSourceMapUrl, "https://example.com/out.map");
  CommandLine list;
  EXPECT_EQ(parse({"in.wasm", "--list", "--output-source-map-url=x"}, list),
            "--list writes nothing; it cannot be combined with --output-source-map or "
            "--output-source-map-url");
  CommandLine text;
  EXPECT_EQ(parse({"in.wasm", "-S", "-o", "a", "--output-source-map=m"}, text),
            "-S writes the text format, which has no source map");
  CommandLine twice;
  EXPECT_EQ(parse({"in.wasm", "-o", "a", "--output-source-map=m", "--output-source-map=n"}, twice),
            "more than one output source map");
}

TEST(CommandLine, HelpListsEveryOption) {
  std::string help = helpText();
  for (const char* option : {"--output=FILE",
                             "--text",
                             "--list",
                             "--alloc=NAME[:POS]",
                             "--free=NAME[:POS]",
                             "--realloc=NAME[:POS]",
                             "--module-name=NAME",
                             "--input-source-map=FILE",
                             "--output-source-map=FILE",
                             "--output-source-map-url=URL",
                             "--help",
                             "--version"}) {
    EXPECT_NE(help.find(option), std::string::npos) << option;
  }
}

} // namespace
} // namespace viewsan
