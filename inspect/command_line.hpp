#pragma once
// A small GNU getopt_long work-alike, so pgarc's commands accept exactly the
// spellings pg_restore and pg_dump accept: bundled short flags (-Oxc), short
// values attached or separate (-fout, -f out), long values after '=' or as the
// next word, unambiguous long-option prefixes (--sch=app), operands anywhere
// (arguments are permuted), and "--" ending the options.
#include <string>
#include <vector>

#include "format/result.hpp"

namespace pgarc {

struct OptionSpec {
  std::string longName;   // empty: short only
  char shortName = 0;     // 0: long only
  bool takesValue = false;
  int id = 0;             // what the caller switches on
};

struct ParsedOption {
  int id = 0;
  std::string value;
  std::string spelling;   // as written: "-f", "--file"
};

struct ParsedCommandLine {
  std::vector<ParsedOption> options;  // in command-line order
  std::vector<std::string> operands;  // non-option arguments, in order
};

// `command` names the program in hints ("pgarc inspect"). Errors carry
// getopt's wording plus a "Try ... --help" hint line.
Result<ParsedCommandLine> parseCommandLine(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs,
                                           const std::string& command);

// Appends the usage hint line every command-line error ends with.
Error usageError(const std::string& message, const std::string& command);

}  // namespace pgarc
