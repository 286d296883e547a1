#pragma once
// Running external programs (stock pg_dump/pg_restore, pgarc, psql) from tests.
#include <string>
#include <vector>

namespace pgarc::test {

struct CommandResult {
  int exitCode = -1;       // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs argv[0] with the given arguments (no shell), capturing stdout/stderr.
// `stdinData`, when non-empty, is fed to the child's standard input.
CommandResult run(const std::vector<std::string>& argv, const std::string& stdinData = {});
// Runs a shell command line (sh -c), capturing output.
CommandResult runShell(const std::string& command);
std::string shellQuote(const std::string& s);

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& data);
// A fresh directory under $TMPDIR (or /tmp), removed by the caller.
std::string makeTempDir(const std::string& prefix = "pgarc-test-");
void removeTree(const std::string& path);

// Path of the pgarc binary built alongside the tests, and of the source tree.
std::string pgarcBinary();
std::string sourceDir();
// Directory holding stock PostgreSQL 15 binaries (pg_dump, pg_restore, initdb...).
std::string pgBinDir();

}  // namespace pgarc::test
