// pgarc: dispatches subcommands; no business logic here.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "dump/dump_command.hpp"
#include "inspect/inspect_command.hpp"
#include "verify/verify_command.hpp"

namespace {

void usage(FILE* out) {
  std::fputs(
      "pgarc: PostgreSQL logical backups compatible with pg_dump and pg_restore\n\n"
      "Usage:\n"
      "  pgarc dump [OPTION]... [DBNAME]     dump a database (pg_dump's options)\n"
      "  pgarc inspect [OPTION]... ARCHIVE   list or print an archive (pg_restore's offline options)\n"
      "  pgarc convert [OPTION]... ARCHIVE   rewrite an archive in another format or version\n"
      "  pgarc verify [OPTION]... ARCHIVE    audit an archive\n\n"
      "Run \"pgarc COMMAND --help\" for a command's options.\n",
      out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 1;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "--help" || command == "-?" || command == "help") {
    usage(stdout);
    return 0;
  }
  if (command == "--version" || command == "-V") {
    std::puts("pgarc 0.1 (compatible with pg_dump 15)");
    return 0;
  }
  pgarc::Result<int> result = pgarc::Error{"", {}, {}, {}};
  int errorExit = 1;
  if (command == "dump") {
    result = pgarc::runDump(args);
  } else if (command == "inspect") {
    result = pgarc::runInspect(args);
  } else if (command == "convert") {
    args.insert(args.begin(), "--convert");
    result = pgarc::runInspect(args);
  } else if (command == "verify") {
    result = pgarc::runVerify(args);
    errorExit = 2;
  } else {
    std::fprintf(stderr, "pgarc: error: unknown command \"%s\"\n", command.c_str());
    usage(stderr);
    return 1;
  }
  std::fflush(stdout);
  if (!result.ok()) {
    std::fprintf(stderr, "pgarc: error: %s\n", result.error().describe().c_str());
    return errorExit;
  }
  return *result;
}
