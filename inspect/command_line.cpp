#include "inspect/command_line.hpp"

#include <string_view>

namespace pgarc {

Error usageError(const std::string& message, const std::string& command) {
  // One line: the hint pg_dump and pg_restore print on a line of their own goes in parentheses.
  return makeError(message + " (try \"" + command + " --help\" for more information)");
}

namespace {

const OptionSpec* findShort(const std::vector<OptionSpec>& specs, char c) {
  for (const auto& s : specs)
    if (s.shortName == c) return &s;
  return nullptr;
}

// Exact match wins. Otherwise every option the prefix matches must agree on
// id and value-taking (glibc's rule), else the prefix is ambiguous.
Result<const OptionSpec*> findLong(const std::vector<OptionSpec>& specs, std::string_view name,
                                   const std::string& command) {
  const OptionSpec* found = nullptr;
  bool ambiguous = false;
  std::string possibilities;
  for (const auto& s : specs) {
    if (s.longName.empty()) continue;
    if (s.longName == name) return &s;
    if (s.longName.compare(0, name.size(), name) == 0) {
      possibilities += " '--" + s.longName + "'";
      if (!found) {
        found = &s;
      } else if (found->id != s.id || found->takesValue != s.takesValue) {
        ambiguous = true;
      }
    }
  }
  if (ambiguous)
    return usageError("option '--" + std::string(name) + "' is ambiguous; possibilities:" + possibilities, command);
  if (!found) return usageError("unrecognized option '--" + std::string(name) + "'", command);
  return found;
}

}  // namespace

Result<ParsedCommandLine> parseCommandLine(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                                           const std::string& command) {
  ParsedCommandLine out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      for (size_t j = i + 1; j < args.size(); ++j) out.operands.push_back(args[j]);
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {  // includes "-" (stdin)
      out.operands.push_back(arg);
      continue;
    }
    if (arg[1] == '-') {
      std::string_view body = std::string_view(arg).substr(2);
      size_t eq = body.find('=');
      std::string_view name = body.substr(0, eq);
      PGARC_ASSIGN(const OptionSpec* spec, findLong(specs, name, command));
      ParsedOption opt{spec->id, {}, "--" + spec->longName};
      if (spec->takesValue) {
        if (eq != std::string_view::npos) {
          opt.value = std::string(body.substr(eq + 1));
        } else if (i + 1 < args.size()) {
          opt.value = args[++i];
        } else {
          return usageError("option '--" + spec->longName + "' requires an argument", command);
        }
      } else if (eq != std::string_view::npos) {
        return usageError("option '--" + spec->longName + "' doesn't allow an argument", command);
      }
      out.options.push_back(std::move(opt));
      continue;
    }
    // A cluster of short options: -Oxc, -fFILE, -f FILE.
    for (size_t k = 1; k < arg.size(); ++k) {
      char c = arg[k];
      const OptionSpec* spec = findShort(specs, c);
      if (!spec) return usageError(std::string("invalid option -- '") + c + "'", command);
      ParsedOption opt{spec->id, {}, std::string("-") + c};
      if (spec->takesValue) {
        if (k + 1 < arg.size()) {
          opt.value = arg.substr(k + 1);
        } else if (i + 1 < args.size()) {
          opt.value = args[++i];
        } else {
          return usageError(std::string("option requires an argument -- '") + c + "'", command);
        }
        out.options.push_back(std::move(opt));
        break;
      }
      out.options.push_back(std::move(opt));
    }
  }
  return out;
}

}  // namespace pgarc
