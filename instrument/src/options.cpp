#include "options.h"

#include "passes/pass-registry.h"

#include <algorithm>
#include <vector>

// Binaryen's generated config.h: PROJECT_VERSION is the Binaryen release linked in.
#include <config.h>

#ifndef VIEWSAN_VERSION
#error "the build defines VIEWSAN_VERSION"
#endif

namespace viewsan {

namespace {

using Apply = std::optional<std::string> (*)(CommandLine&, const std::string& value);

struct Option {
  char shortName; // 0 when there is none
  const char* longName;
  const char* metavar; // null for an option that takes no value
  const char* help;
  Apply apply;
};

// A flag that takes a value once: it sets `field`, and a second occurrence is the error `twice`.
template<std::optional<std::string> CommandLine::*field, const char* twice>
std::optional<std::string> setOnce(CommandLine& cli, const std::string& value) {
  if (cli.*field) {
    return std::string(twice);
  }
  cli.*field = value;
  return std::nullopt;
}
constexpr char kSecondGlue[] = "more than one glue file";
constexpr char kSecondBindgenGlue[] = "more than one wasm-bindgen glue file";
constexpr char kSecondInputMap[] = "more than one input source map";
constexpr char kSecondOutputMap[] = "more than one output source map";

template<AllocRole role>
std::optional<std::string> addAllocator(CommandLine& cli, const std::string& value) {
  AllocatorSpec spec;
  if (std::optional<std::string> error = parseAllocatorFlag(role, value, spec)) {
    return "--" + std::string(roleName(role)) + " '" + value + "': " + *error;
  }
  cli.allocators.push_back(std::move(spec));
  return std::nullopt;
}

template<CommandLine::Action action>
std::optional<std::string> setAction(CommandLine& cli, const std::string&) {
  cli.action = action;
  return std::nullopt;
}

const Option kOptions[] = {
  {'o',
   "output",
   "FILE",
   "write the instrumented module to FILE ('-' for stdout)",
   [](CommandLine& cli, const std::string& value) -> std::optional<std::string> {
     if (!cli.output.empty()) {
       return std::string("more than one output file");
     }
     cli.output = value;
     return std::nullopt;
   }},
  {0,
   "in-place",
   nullptr,
   "replace IN.wasm with the instrumented module (and its source map with the updated one), "
   "as for a dependency inside node_modules",
   [](CommandLine& cli, const std::string&) -> std::optional<std::string> {
     cli.inPlace = true;
     return std::nullopt;
   }},
  {'S',
   "text",
   nullptr,
   "write the text format instead of a binary",
   [](CommandLine& cli, const std::string&) -> std::optional<std::string> {
     cli.text = true;
     return std::nullopt;
   }},
  {0,
   "list",
   nullptr,
   "print the allocators found, the memory.grow count and the coverage; write nothing",
   setAction<CommandLine::Action::List>},
  {0,
   "alloc",
   "NAME[:POS]",
   "hook NAME as an allocating function (default size=0)",
   addAllocator<AllocRole::Alloc>},
  {0,
   "free",
   "NAME[:POS]",
   "hook NAME as a freeing function (default ptr=0)",
   addAllocator<AllocRole::Free>},
  {0,
   "realloc",
   "NAME[:POS]",
   "hook NAME as a reallocating function (default ptr=0,size=1)",
   addAllocator<AllocRole::Realloc>},
  {0,
   "emscripten-glue",
   "FILE",
   "find the exports bound to _malloc, _free and the other allocators below in the "
   "Emscripten JS glue FILE (minified builds rename them)",
   setOnce<&CommandLine::emscriptenGlue, kSecondGlue>},
  {0,
   "wasm-bindgen-glue",
   "FILE",
   "find the exports that wasm-bindgen's JS glue FILE (foo_bg.js) uses as malloc, "
   "realloc and free (newer releases number them)",
   setOnce<&CommandLine::wasmBindgenGlue, kSecondBindgenGlue>},
  {0,
   "input-source-map",
   "FILE",
   "the source map of the input (default: the file its sourceMappingURL section names, "
   "beside the input)",
   setOnce<&CommandLine::inputSourceMap, kSecondInputMap>},
  {0,
   "output-source-map",
   "FILE",
   "write the source map of the output to FILE (default: OUT.wasm.map when the input has a "
   "source map)",
   setOnce<&CommandLine::outputSourceMap, kSecondOutputMap>},
  {0,
   "output-source-map-url",
   "URL",
   "the URL the output's sourceMappingURL section gives (default: the output source map's "
   "file name)",
   [](CommandLine& cli, const std::string& value) -> std::optional<std::string> {
     cli.outputSourceMapUrl = value;
     return std::nullopt;
   }},
  {0,
   "no-follow-wrappers",
   nullptr,
   "hook only the allocators found by name, not the functions they forward to",
   [](CommandLine& cli, const std::string&) -> std::optional<std::string> {
     cli.followWrappers = false;
     return std::nullopt;
   }},
  {0,
   "module-name",
   "NAME",
   "the module's name in viewsan.sites when it has no name section (default: the input file "
   "name)",
   [](CommandLine& cli, const std::string& value) -> std::optional<std::string> {
     cli.moduleName = value;
     return std::nullopt;
   }},
  {'h', "help", nullptr, "print this help and exit", setAction<CommandLine::Action::Help>},
  {0, "version", nullptr, "print the version and exit", setAction<CommandLine::Action::Version>},
};

const char kUsage[] = "usage: viewsan-instrument [options] IN.wasm -o OUT.wasm\n"
                      "       viewsan-instrument [options] IN.wasm --in-place\n";

const char kDescription[] = R"(
Adds viewsan's hooks to a WebAssembly module, as a step after linking. Every
memory.grow, and every entry into the module's allocator (through an export, a
direct call, call_indirect or ref.func), calls a function imported from module
"viewsan", passing a site id; the custom section "viewsan.sites" says where each
site is. DWARF sections are updated to describe the instrumented code, and so is
a source map, written beside the output.

examples:
  # instrument a linked module
  $ viewsan-instrument app.wasm -o app.vs.wasm

  # see what would be hooked, writing nothing
  $ viewsan-instrument app.wasm --list

  # an arena allocator: arena_alloc(arena, size), arena_free(arena, ptr)
  $ viewsan-instrument app.wasm -o app.vs.wasm \
      --alloc arena_alloc:size=1 --free arena_free:ptr=1

  # a minified Emscripten build: its glue says which exports malloc and free are
  $ viewsan-instrument sql-wasm.wasm -o sql-wasm.vs.wasm --emscripten-glue sql-wasm.js

  # a newer wasm-bindgen build, whose allocator exports are numbered
  $ viewsan-instrument app_bg.wasm -o app_bg.vs.wasm --wasm-bindgen-glue app_bg.js

  # a dependency inside node_modules, replaced where its loader finds it
  $ viewsan-instrument node_modules/@dqbd/tiktoken/tiktoken_bg.wasm --in-place \
      --wasm-bindgen-glue node_modules/@dqbd/tiktoken/tiktoken_bg.js

  # a build with a source map: writes app.vs.wasm.map, which app.vs.wasm names
  $ viewsan-instrument app.wasm -o app.vs.wasm --input-source-map app.wasm.map
)";

const char kPositions[] = R"(
NAME is an export name or a name-section name. POS gives 0-based argument
positions as key=N pairs separated by ',': ptr=N for the pointer freed or
reallocated, size=N for the size allocated, count=N when the size is
count * size (as for calloc), and out=N when the function stores the new
pointer at that argument and returns 0 on success (as posix_memalign does).

Each allocator found is followed through the functions it only forwards to
(one call besides those that never return, no loop, its pointer and size passed
on unchanged), down to the one that does the work, and those are hooked too: in
a stripped build, code inside the module calls them without passing through the
exported wrapper.

exit status: 0 written, 1 bad input (nothing written), 2 usage error.
)";

const Option* findLong(const std::string& name) {
  for (const Option& option : kOptions) {
    if (name == option.longName) {
      return &option;
    }
  }
  return nullptr;
}

const Option* findShort(char name) {
  for (const Option& option : kOptions) {
    if (option.shortName && option.shortName == name) {
      return &option;
    }
  }
  return nullptr;
}

// `prefix` followed by `words`, wrapped to `width` columns with continuation lines indented to
// the length of the prefix.
std::string wrap(const std::string& prefix, const std::string& words, size_t width) {
  std::string text, line = prefix;
  size_t start = 0;
  while (start < words.size()) {
    size_t end = words.find(' ', start);
    std::string word = words.substr(start, end == std::string::npos ? end : end - start);
    start = end == std::string::npos ? words.size() : end + 1;
    if (line.size() > prefix.size() && line.size() + 1 + word.size() > width) {
      text += line + "\n";
      line.assign(prefix.size(), ' ');
    } else if (line.size() > prefix.size()) {
      line += ' ';
    }
    line += word;
  }
  return text + line + "\n";
}

} // namespace

std::optional<std::string> parseCommandLine(const std::vector<std::string>& args,
                                            CommandLine& out) {
  std::vector<std::string> inputs;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      inputs.insert(inputs.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      inputs.push_back(arg);
      continue;
    }
    const Option* option = nullptr;
    std::string typed = arg; // the option as written, without a value
    std::optional<std::string> inlineValue;
    if (arg[1] == '-') {
      size_t equals = arg.find('=');
      typed = arg.substr(0, equals);
      option = findLong(typed.substr(2));
      if (equals != std::string::npos) {
        inlineValue = arg.substr(equals + 1);
      }
    } else {
      typed = arg.substr(0, 2);
      option = findShort(arg[1]);
      if (arg.size() > 2) {
        inlineValue = arg.substr(2);
      }
    }
    if (!option) {
      return "unknown option '" + typed + "'";
    }
    std::string value;
    if (option->metavar) {
      if (inlineValue) {
        value = *inlineValue;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return "option '" + typed + "' needs a value";
      }
    } else if (inlineValue) {
      return "option '" + typed + "' takes no value";
    }
    if (std::optional<std::string> error = option->apply(out, value)) {
      return error;
    }
    if (out.action == CommandLine::Action::Help || out.action == CommandLine::Action::Version) {
      return std::nullopt;
    }
  }
  if (inputs.empty()) {
    return std::string("no input file");
  }
  if (inputs.size() > 1) {
    return "unexpected argument '" + inputs[1] + "'";
  }
  out.input = inputs[0];
  if (out.inPlace) {
    if (!out.output.empty() || out.text || out.action == CommandLine::Action::List) {
      return std::string("--in-place writes the instrumented binary over the input; it cannot be "
                         "combined with -o, -S or --list");
    }
    if (out.input == "-") {
      return std::string("--in-place needs an input file, not stdin");
    }
    out.output = out.input;
  }
  const bool writesMap = out.outputSourceMap || out.outputSourceMapUrl;
  if (out.action == CommandLine::Action::List) {
    if (!out.output.empty() || out.text) {
      return std::string("--list writes nothing; it cannot be combined with -o or -S");
    }
    if (writesMap) {
      return std::string("--list writes nothing; it cannot be combined with --output-source-map "
                         "or --output-source-map-url");
    }
  } else if (out.output.empty()) {
    return std::string("no output file; give one with -o FILE, or use --list");
  } else if (out.text && writesMap) {
    return std::string("-S writes the text format, which has no source map");
  } else if (out.outputSourceMapUrl && !out.outputSourceMap && out.output == "-") {
    return std::string("--output-source-map-url needs --output-source-map when the output is "
                       "stdout");
  }
  return std::nullopt;
}

std::string helpText() {
  std::string text = std::string(kUsage) + kDescription + "\noptions:\n";
  // Descriptions start in one column, two spaces after the longest option.
  std::vector<std::string> names;
  size_t column = 0;
  for (const Option& option : kOptions) {
    std::string name =
      option.shortName ? std::string("  -") + option.shortName + ", " : std::string("      ");
    name += std::string("--") + option.longName;
    if (option.metavar) {
      name += std::string("=") + option.metavar;
    }
    column = std::max(column, name.size() + 2);
    names.push_back(std::move(name));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    names[i].resize(column, ' ');
    text += wrap(names[i], kOptions[i].help, 80);
  }
  text += kPositions;
  text += "\npasses, in the order they run:\n";
  size_t passColumn = 0;
  for (const RegisteredPass& pass : registeredPasses()) {
    passColumn = std::max(passColumn, std::string(pass.name).size() + 4);
  }
  for (const RegisteredPass& pass : registeredPasses()) {
    std::string name = std::string("  ") + pass.name;
    name.resize(passColumn, ' ');
    text += wrap(name, pass.description, 80);
  }
  text += "\nallocators found by name (positions shown where they differ from the default):\n";
  text += knownAllocatorsHelp(80);
  text += wrap("",
               "C++ operators are also found by their demangled names, such as "
               "\"operator new(unsigned long)\", which wasm-ld writes in the name section, and "
               "Rust's by their v0-mangled ones (__rustc::__rust_alloc), as Rust 1.89 and later "
               "write them.",
               80);
  return text;
}

std::string versionText() {
  return std::string("viewsan-instrument ") + VIEWSAN_VERSION + " (Binaryen " + PROJECT_VERSION +
         ")\n";
}

} // namespace viewsan
