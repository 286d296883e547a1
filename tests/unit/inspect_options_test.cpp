// `pgarc inspect` and `pgarc convert` command lines: every pg_restore 15
// option, its spellings, and pg_restore's errors and their order (checked
// against stock pg_restore 15.18 by hand; the messages below are its wording).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "inspect/command_line.hpp"
#include "inspect/convert_options.hpp"
#include "inspect/inspect_options.hpp"

using namespace pgarc;

namespace {

InspectOptions parseOk(const std::vector<std::string>& args) {
  auto r = parseInspectOptions(args);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : InspectOptions{};
}

std::string parseErr(const std::vector<std::string>& args) {
  auto r = parseInspectOptions(args);
  EXPECT_FALSE(r.ok());
  return r.ok() ? std::string("<no error>") : r.error().message;
}

// The message without the usage hint usage errors end with.
std::string firstLine(const std::string& s) { return s.substr(0, s.find(" (try \"")); }

}  // namespace

TEST(InspectOptions, BooleanFlagsShortAndLong) {
  struct Case { std::string shortFlag, longFlag; bool RestoreOptions::*field; };
  std::vector<Case> cases = {
      {"-a", "--data-only", &RestoreOptions::dataOnly},
      {"-c", "--clean", &RestoreOptions::clean},
      {"-C", "--create", &RestoreOptions::create},
      {"-e", "--exit-on-error", &RestoreOptions::exitOnError},
      {"-O", "--no-owner", &RestoreOptions::noOwner},
      {"-s", "--schema-only", &RestoreOptions::schemaOnly},
      {"-v", "--verbose", &RestoreOptions::verbose},
      {"-x", "--no-privileges", &RestoreOptions::noPrivileges},
      {"-x", "--no-acl", &RestoreOptions::noPrivileges},
      {"-1", "--single-transaction", &RestoreOptions::singleTransaction},
  };
  for (const auto& c : cases) {
    for (const auto& flag : {c.shortFlag, c.longFlag}) {
      InspectOptions o = parseOk({flag, "-f", "-", "x.dump"});
      EXPECT_TRUE(o.restore.*c.field) << flag;
      InspectOptions none = parseOk({"-f", "-", "x.dump"});
      EXPECT_FALSE(none.restore.*c.field) << flag;
    }
  }
}

TEST(InspectOptions, LongOnlyFlags) {
  struct Case { std::string flag; bool RestoreOptions::*field; };
  std::vector<Case> cases = {
      {"--disable-triggers", &RestoreOptions::disableTriggers},
      {"--enable-row-security", &RestoreOptions::enableRowSecurity},
      {"--no-comments", &RestoreOptions::noComments},
      {"--no-publications", &RestoreOptions::noPublications},
      {"--no-security-labels", &RestoreOptions::noSecurityLabels},
      {"--no-subscriptions", &RestoreOptions::noSubscriptions},
      {"--no-table-access-method", &RestoreOptions::noTableAccessMethod},
      {"--no-tablespaces", &RestoreOptions::noTablespaces},
      {"--strict-names", &RestoreOptions::strictNames},
      {"--use-set-session-authorization", &RestoreOptions::useSetSessionAuthorization},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(parseOk({c.flag, "-f", "-", "x.dump"}).restore.*c.field) << c.flag;
    EXPECT_FALSE(parseOk({"-f", "-", "x.dump"}).restore.*c.field) << c.flag;
  }
  EXPECT_TRUE(parseOk({"-c", "--if-exists", "-f", "-"}).restore.ifExists);
  // Accepted, no effect on a script.
  parseOk({"--no-data-for-failed-tables", "-f", "-"});
  parseOk({"-h", "host", "-p", "5432", "-U", "me", "-w", "-W", "-R", "-f", "-"});
}

TEST(InspectOptions, SingleTransactionImpliesExitOnError) {
  EXPECT_TRUE(parseOk({"-1", "-f", "-"}).restore.exitOnError);
}

TEST(InspectOptions, NameListsAccumulateInOrder) {
  InspectOptions o = parseOk({"-n", "a", "--schema=b", "-N", "c", "--exclude-schema", "d", "-t", "t1", "--table=t2",
                              "-T", "tr", "--trigger=tr2", "-I", "i1", "--index", "i2", "-P", "f(int)",
                              "--function=g()", "-f", "-"});
  EXPECT_EQ(o.restore.schemaNames, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o.restore.excludeSchemaNames, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(o.restore.tableNames, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(o.restore.triggerNames, (std::vector<std::string>{"tr", "tr2"}));
  EXPECT_EQ(o.restore.indexNames, (std::vector<std::string>{"i1", "i2"}));
  EXPECT_EQ(o.restore.functionNames, (std::vector<std::string>{"f(int)", "g()"}));
}

TEST(InspectOptions, ValueOptions) {
  InspectOptions o = parseOk({"-S", "su", "--role=r", "--restrict-key", "abc123", "-L", "list.txt", "-j", "4",
                              "-f", "out.sql", "dump.file"});
  EXPECT_EQ(o.restore.superuser, std::optional<std::string>("su"));
  EXPECT_EQ(o.restore.role, std::optional<std::string>("r"));
  EXPECT_EQ(o.restore.restrictKey, std::optional<std::string>("abc123"));
  EXPECT_EQ(o.listFilePath, std::optional<std::string>("list.txt"));
  EXPECT_EQ(o.jobs, 4);
  EXPECT_EQ(o.outputFile, std::optional<std::string>("out.sql"));
  EXPECT_EQ(o.archive, "dump.file");
  EXPECT_EQ(o.action, InspectAction::Script);
  // An empty -S is ignored, as pg_restore does.
  EXPECT_FALSE(parseOk({"-S", "", "-f", "-"}).restore.superuser.has_value());
}

TEST(InspectOptions, SpellingsOfValues) {
  EXPECT_EQ(parseOk({"-fout"}).outputFile, std::optional<std::string>("out"));
  EXPECT_EQ(parseOk({"-f", "out"}).outputFile, std::optional<std::string>("out"));
  EXPECT_EQ(parseOk({"--file=out"}).outputFile, std::optional<std::string>("out"));
  EXPECT_EQ(parseOk({"--file", "out"}).outputFile, std::optional<std::string>("out"));
  EXPECT_EQ(parseOk({"--file="}).outputFile, std::optional<std::string>(""));
  // Unambiguous prefixes of long options, as getopt_long allows.
  EXPECT_EQ(parseOk({"--fil=-"}).outputFile, std::optional<std::string>("-"));
  EXPECT_TRUE(parseOk({"--schema-o", "-f", "-"}).restore.schemaOnly);
  // Value taken from a bundle's tail: -Oxfout.
  InspectOptions o = parseOk({"-Oxfout"});
  EXPECT_TRUE(o.restore.noOwner);
  EXPECT_TRUE(o.restore.noPrivileges);
  EXPECT_EQ(o.outputFile, std::optional<std::string>("out"));
}

TEST(InspectOptions, CombinedShortFlags) {
  InspectOptions o = parseOk({"-Oxc", "-f", "-"});
  EXPECT_TRUE(o.restore.noOwner);
  EXPECT_TRUE(o.restore.noPrivileges);
  EXPECT_TRUE(o.restore.clean);
  EXPECT_FALSE(o.restore.create);
}

RC_GTEST_PROP(InspectOptions, BundledFlagsEqualSeparateFlags, ()) {
  const std::string letters = "acCeOsvx1";
  auto picked = *rc::gen::container<std::vector<char>>(rc::gen::elementOf(letters));
  RC_PRE(!picked.empty());
  std::vector<std::string> separate, bundled = {"-"};
  for (char c : picked) {
    separate.push_back(std::string("-") + c);
    bundled[0] += c;
  }
  for (auto* v : {&separate, &bundled}) v->insert(v->end(), {"-f", "-"});
  auto a = parseInspectOptions(separate);
  auto b = parseInspectOptions(bundled);
  RC_ASSERT(a.ok() == b.ok());
  if (!a.ok()) {
    RC_ASSERT(a.error().message == b.error().message);
    return;
  }
  const RestoreOptions &x = a->restore, &y = b->restore;
  RC_ASSERT(std::tie(x.dataOnly, x.clean, x.create, x.exitOnError, x.noOwner, x.schemaOnly, x.verbose,
                     x.noPrivileges, x.singleTransaction) ==
            std::tie(y.dataOnly, y.clean, y.create, y.exitOnError, y.noOwner, y.schemaOnly, y.verbose,
                     y.noPrivileges, y.singleTransaction));
}

TEST(InspectOptions, OperandsAnywhereAndDoubleDash) {
  EXPECT_EQ(parseOk({"x.dump", "-f", "-"}).archive, "x.dump");
  EXPECT_EQ(parseOk({"-f", "-"}).archive, "-");               // stdin when omitted
  EXPECT_EQ(parseOk({"-f", "-", "-"}).archive, "-");
  EXPECT_EQ(parseOk({"-f", "-", "--", "-x"}).archive, "-x");
  EXPECT_EQ(firstLine(parseErr({"--", "-f", "-"})), "too many command-line arguments (first is \"-\")");
  EXPECT_EQ(firstLine(parseErr({"-f", "-", "a", "b"})), "too many command-line arguments (first is \"b\")");
}

TEST(InspectOptions, GetoptErrors) {
  EXPECT_EQ(firstLine(parseErr({"-k"})), "invalid option -- 'k'");
  EXPECT_EQ(firstLine(parseErr({"-f"})), "option requires an argument -- 'f'");
  EXPECT_EQ(firstLine(parseErr({"--file"})), "option '--file' requires an argument");
  EXPECT_EQ(firstLine(parseErr({"--list=3"})), "option '--list' doesn't allow an argument");
  EXPECT_EQ(firstLine(parseErr({"--bogus"})), "unrecognized option '--bogus'");
  std::string amb = parseErr({"--no"});
  EXPECT_EQ(amb.rfind("option '--no' is ambiguous; possibilities: '--no-privileges'", 0), 0u) << amb;
  EXPECT_NE(amb.find("'--no-subscriptions'"), std::string::npos);
  EXPECT_NE(amb.find(" (try \"pgarc inspect --help\" for more information)"), std::string::npos);
  EXPECT_EQ(amb.find('\n'), std::string::npos) << amb;
  // --help and -V only count as the first argument, as in pg_restore.
  EXPECT_EQ(firstLine(parseErr({"-l", "-V"})), "invalid option -- 'V'");
  EXPECT_EQ(firstLine(parseErr({"-l", "-?"})), "invalid option -- '?'");
  EXPECT_EQ(parseOk({"--help", "-l"}).action, InspectAction::Help);
  EXPECT_EQ(parseOk({"-?"}).action, InspectAction::Help);
  EXPECT_EQ(parseOk({"-V", "x"}).action, InspectAction::Version);
  EXPECT_EQ(parseOk({"--version"}).action, InspectAction::Version);
}

TEST(InspectOptions, ConflictsWithPgRestoreMessages) {
  EXPECT_EQ(parseErr({"x.dump"}), "one of -d/--dbname and -f/--file must be specified");
  EXPECT_EQ(parseErr({"-s", "-a", "-f", "-"}), "options -s/--schema-only and -a/--data-only cannot be used together");
  EXPECT_EQ(parseErr({"-c", "-a", "-f", "-"}), "options -c/--clean and -a/--data-only cannot be used together");
  EXPECT_EQ(parseErr({"-C", "-1", "-f", "-"}),
            "options -C/--create and -1/--single-transaction cannot be used together");
  EXPECT_EQ(parseErr({"-1", "-j", "2", "-f", "-"}), "cannot specify both --single-transaction and multiple jobs");
  EXPECT_EQ(parseErr({"--if-exists", "-f", "-"}), "option --if-exists requires option -c/--clean");
  EXPECT_EQ(firstLine(parseErr({"-d", "x", "-f", "-"})), "options -d/--dbname and -f/--file cannot be used together");
  EXPECT_EQ(parseErr({"-d", "x", "--restrict-key=abc"}), "options -d/--dbname and --restrict-key cannot be used together");
  EXPECT_EQ(parseErr({"--restrict-key=a-b", "-f", "-"}), "invalid restrict key");
  EXPECT_EQ(parseErr({"--restrict-key=", "-f", "-"}), "invalid restrict key");
}

TEST(InspectOptions, CheckOrderMatchesPgRestore) {
  // Observed with pg_restore 15.18: the -f requirement comes first, the
  // restrict key before -s/-a, --if-exists before the -F letter.
  EXPECT_EQ(parseErr({"-s", "-a", "x"}), "one of -d/--dbname and -f/--file must be specified");
  EXPECT_EQ(parseErr({"-s", "-a", "-c", "--if-exists", "-C", "-1", "-f", "-"}),
            "options -s/--schema-only and -a/--data-only cannot be used together");
  EXPECT_EQ(parseErr({"-c", "-a", "--if-exists", "-C", "-1", "-f", "-"}),
            "options -c/--clean and -a/--data-only cannot be used together");
  EXPECT_EQ(parseErr({"--if-exists", "-C", "-1", "-j2", "-f", "-"}),
            "options -C/--create and -1/--single-transaction cannot be used together");
  EXPECT_EQ(parseErr({"-s", "-a", "--restrict-key=a-b", "-f", "-"}), "invalid restrict key");
  EXPECT_EQ(parseErr({"-F", "x", "--if-exists", "-f", "-"}), "option --if-exists requires option -c/--clean");
  EXPECT_EQ(parseErr({"-d", "x", "--restrict-key=a-b", "-C", "-1"}),
            "options -d/--dbname and --restrict-key cannot be used together");
}

TEST(InspectOptions, Jobs) {
  EXPECT_EQ(parseOk({"-j", "3", "-f", "-"}).jobs, 3);
  EXPECT_EQ(parseOk({"-j", " 3", "-f", "-"}).jobs, 3);
  EXPECT_EQ(parseOk({"-j", "3 ", "-f", "-"}).jobs, 3);
  EXPECT_EQ(parseOk({"--jobs=7", "-f", "-"}).jobs, 7);
  EXPECT_EQ(parseErr({"-j", "0", "-f", "-"}), "-j/--jobs must be in range 1..2147483647");
  EXPECT_EQ(parseErr({"-j", "", "-f", "-"}), "-j/--jobs must be in range 1..2147483647");
  EXPECT_EQ(parseErr({"-j", "99999999999", "-f", "-"}), "-j/--jobs must be in range 1..2147483647");
  EXPECT_EQ(parseErr({"-j", "x", "-f", "-"}), "invalid value \"x\" for option -j/--jobs");
  EXPECT_EQ(parseErr({"-j", "3x", "-f", "-"}), "invalid value \"3x\" for option -j/--jobs");
}

TEST(InspectOptions, Sections) {
  EXPECT_EQ(parseOk({"-f", "-"}).restore.sections, 0);
  EXPECT_EQ(parseOk({"--section=pre-data", "-f", "-"}).restore.sections, 1);
  EXPECT_EQ(parseOk({"--section", "data", "-f", "-"}).restore.sections, 2);
  EXPECT_EQ(parseOk({"--section=post-data", "--section=pre-data", "-f", "-"}).restore.sections, 5);
  EXPECT_EQ(firstLine(parseErr({"--section=foo", "-f", "-"})), "unrecognized section name: \"foo\"");
  EXPECT_EQ(firstLine(parseErr({"--section=", "-f", "-"})), "unrecognized section name: \"\"");
}

TEST(InspectOptions, FormatLetters) {
  EXPECT_EQ(parseOk({"-F", "c", "-f", "-"}).format, std::optional<ArchiveKind>(ArchiveKind::Custom));
  EXPECT_EQ(parseOk({"-Fcustom", "-f", "-"}).format, std::optional<ArchiveKind>(ArchiveKind::Custom));
  EXPECT_EQ(parseOk({"--format=D", "-f", "-"}).format, std::optional<ArchiveKind>(ArchiveKind::Directory));
  EXPECT_EQ(parseOk({"-F", "tar", "-f", "-"}).format, std::optional<ArchiveKind>(ArchiveKind::Tar));
  EXPECT_FALSE(parseOk({"-F", "", "-f", "-"}).format.has_value());
  EXPECT_EQ(parseErr({"-F", "x", "-f", "-"}), "unrecognized archive format \"x\"; please specify \"c\", \"d\", or \"t\"");
  EXPECT_EQ(parseErr({"-F", "p", "-f", "-"}), "unrecognized archive format \"p\"; please specify \"c\", \"d\", or \"t\"");
}

TEST(InspectOptions, ListAndDbname) {
  InspectOptions o = parseOk({"-l", "x.dump"});
  EXPECT_EQ(o.action, InspectAction::List);
  EXPECT_FALSE(o.outputFile.has_value());
  // pg_restore -l -d only lists; without -l, -d would connect.
  EXPECT_EQ(parseOk({"-l", "-d", "db", "x.dump"}).action, InspectAction::List);
  std::string e = parseErr({"-d", "db", "x.dump"});
  EXPECT_NE(e.find("offline"), std::string::npos) << e;
  EXPECT_NE(e.find("pgarc verify --restore-check"), std::string::npos) << e;
  EXPECT_NE(e.find("pg_restore"), std::string::npos) << e;
}

TEST(InspectOptions, PgarcExtras) {
  InspectOptions j = parseOk({"--json", "x"});
  EXPECT_EQ(j.action, InspectAction::Json);
  InspectOptions e = parseOk({"--entry", "5", "--entry=7", "x"});
  EXPECT_EQ(e.action, InspectAction::Entries);
  EXPECT_EQ(e.entries, (std::vector<int>{5, 7}));
  EXPECT_FALSE(e.json);
  EXPECT_TRUE(parseOk({"--entry=5", "--json"}).json);
  InspectOptions d = parseOk({"--data", "12"});
  EXPECT_EQ(d.action, InspectAction::Data);
  EXPECT_EQ(d.dataEntry, std::optional<int>(12));
  EXPECT_NE(parseErr({"--entry=0"}).find("expected a dump ID"), std::string::npos);
  EXPECT_NE(parseErr({"--entry=-3"}).find("expected a dump ID"), std::string::npos);
  EXPECT_NE(parseErr({"--data=x"}).find("expected a dump ID"), std::string::npos);
  EXPECT_NE(parseErr({"--data=1", "--data=2"}).find("only once"), std::string::npos);
  EXPECT_NE(parseErr({"--data=1", "-l"}).find("cannot be used together"), std::string::npos);
  EXPECT_NE(parseErr({"--entry=1", "-l"}).find("cannot be used together"), std::string::npos);
}

TEST(CompressionSpec, Pg15Levels) {
  auto none = parseCompressionSpec("0");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->algorithm, CompressionAlgorithm::None);
  auto five = parseCompressionSpec("5");
  ASSERT_TRUE(five.ok());
  EXPECT_EQ(*five, (CompressionSpec{CompressionAlgorithm::Gzip, 5, false}));
  EXPECT_EQ(parseCompressionSpec("10").error().message, "-Z/--compress must be in range 0..9");
  EXPECT_FALSE(parseCompressionSpec("-1").ok());
}

TEST(CompressionSpec, Pg16Methods) {
  struct Case { std::string text; CompressionSpec want; };
  std::vector<Case> ok = {
      {"none", {CompressionAlgorithm::None, 0, false}},
      {"gzip", {CompressionAlgorithm::Gzip, -1, false}},
      {"gzip:9", {CompressionAlgorithm::Gzip, 9, false}},
      {"gzip:level=1", {CompressionAlgorithm::Gzip, 1, false}},
      {"lz4", {CompressionAlgorithm::Lz4, 0, false}},
      {"lz4:12", {CompressionAlgorithm::Lz4, 12, false}},
      {"zstd", {CompressionAlgorithm::Zstd, 3, false}},
      {"zstd:19", {CompressionAlgorithm::Zstd, 19, false}},
      {"zstd:-5", {CompressionAlgorithm::Zstd, -5, false}},
      {"zstd:level=7,long", {CompressionAlgorithm::Zstd, 7, true}},
      {"zstd:long", {CompressionAlgorithm::Zstd, 3, true}},
      {"zstd:long=off", {CompressionAlgorithm::Zstd, 3, false}},
  };
  for (const auto& c : ok) {
    auto r = parseCompressionSpec(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error().message;
    EXPECT_EQ(*r, c.want) << c.text;
  }
  std::vector<std::pair<std::string, std::string>> bad = {
      {"brotli", "unrecognized compression algorithm: \"brotli\""},
      {"gzip:10", "expects a compression level between 1 and 9"},
      {"gzip:0", "expects a compression level between 1 and 9"},
      {"lz4:13", "expects a compression level between 1 and 12"},
      {"zstd:23", "expects a compression level between"},
      {"none:3", "does not accept a compression level"},
      {"gzip:long", "does not support long-distance mode"},
      {"zstd:level=x", "must be an integer"},
      {"zstd:long=maybe", "must be a Boolean value"},
      {"zstd:speed=3", "unrecognized compression option: \"speed\""},
      {"zstd:", "found empty string"},
      {"zstd:level=3,", "found empty string"},
  };
  for (const auto& [text, want] : bad) {
    auto r = parseCompressionSpec(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find(want), std::string::npos) << text << ": " << r.error().message;
  }
}

TEST(ConvertOptions, Basics) {
  auto r = parseConvertOptions({"-F", "d", "--archive-version=1.15", "-Z", "zstd:5", "-f", "out", "in.dump"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->target, ArchiveKind::Directory);
  EXPECT_EQ(r->version, std::optional<ArchiveVersion>(ArchiveVersion{1, 15, 0}));
  EXPECT_EQ(r->compression, std::optional<CompressionSpec>(CompressionSpec{CompressionAlgorithm::Zstd, 5, false}));
  EXPECT_EQ(r->output, "out");
  EXPECT_EQ(r->input, "in.dump");
  auto p = parseConvertOptions({"-Fp", "--restrict-key=k1", "-f", "-"});
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->target, ArchiveKind::Plain);
  EXPECT_EQ(p->input, "-");
  EXPECT_TRUE(parseConvertOptions({"--help"})->help);
}

TEST(ConvertOptions, Errors) {
  auto err = [](std::vector<std::string> a) {
    auto r = parseConvertOptions(a);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_NE(err({"-f", "o", "in"}).find("no target format"), std::string::npos);
  EXPECT_NE(err({"-F", "c", "in"}).find("no output"), std::string::npos);
  EXPECT_NE(err({"-F", "x", "-f", "o"}).find("invalid output format"), std::string::npos);
  EXPECT_EQ(err({"-F", "t", "-Z", "5", "-f", "o"}), "compression is not supported by tar archive format");
  EXPECT_EQ(err({"-F", "t", "-Z", "zstd", "-f", "o"}), "compression is not supported by tar archive format");
  EXPECT_TRUE(parseConvertOptions({"-F", "t", "-Z", "0", "-f", "o"}).ok());
  std::string lz = err({"-F", "c", "-Z", "lz4", "--archive-version", "1.14", "-f", "o"});
  EXPECT_NE(lz.find("lz4 needs archive version 1.15"), std::string::npos) << lz;
  EXPECT_TRUE(parseConvertOptions({"-F", "c", "-Z", "gzip:3", "--archive-version", "1.14", "-f", "o"}).ok());
  EXPECT_NE(err({"-F", "c", "--archive-version", "1.13", "-f", "o"}).find("expected 1.14, 1.15 or 1.16"),
            std::string::npos);
  EXPECT_NE(err({"-F", "d", "-f", "-"}).find("directory format needs a directory"), std::string::npos);
  EXPECT_EQ(err({"-F", "p", "--restrict-key=a-b", "-f", "-"}), "invalid restrict key");
  EXPECT_NE(err({"-F", "c", "--restrict-key=ab", "-f", "o"}).find("only to -F p"), std::string::npos);
  EXPECT_NE(err({"-F", "c", "-f", "o", "a", "b"}).find("too many command-line arguments"), std::string::npos);
}
