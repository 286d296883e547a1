// `pgarc dump` of a few thousand large objects against stock pg_dump 15.
// pgarc holds large objects in a compact table and makes their TOC entries
// while the TOC is written (dump/objects/large_objects.cpp); this checks that
// every format still gives what stock gives when the objects have mixed
// owners, ACLs and comments, oids whose text order differs from their numeric
// order, and a server scan order (which fixes their dumpIds) that is neither.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/database_suite.hpp"
#include "tests/support/text_compare.hpp"

using namespace pgarc::test;

namespace {

// 3,000 objects made in an order unrelated to their oids, three more with
// oids of other lengths, then owners, grants, revokes and comments changed
// on some (each change moves the row in the heap, so the scan order is mixed
// too).
const char* kFixture = R"SQL(
CREATE ROLE alice;
CREATE ROLE "bob smith";
SELECT count(lo_from_bytea(100000 + (i * 7919) % 3000, convert_to('object ' || i, 'UTF8')))
  FROM generate_series(1, 3000) AS i;
SELECT lo_from_bytea(5, 'five');
SELECT lo_from_bytea(3000000000, decode(repeat('00ff', 20000), 'hex'));
SELECT lo_create(99999);
DO $$
DECLARE o oid;
BEGIN
  FOR o IN SELECT oid FROM pg_largeobject_metadata WHERE oid::int8 % 3 = 0 LOOP
    EXECUTE format('ALTER LARGE OBJECT %s OWNER TO alice', o);
  END LOOP;
  FOR o IN SELECT oid FROM pg_largeobject_metadata WHERE oid::int8 % 5 = 0 LOOP
    EXECUTE format('ALTER LARGE OBJECT %s OWNER TO "bob smith"', o);
  END LOOP;
  FOR o IN SELECT oid FROM pg_largeobject_metadata WHERE oid::int8 % 7 = 0 LOOP
    EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO "bob smith"', o);
  END LOOP;
  FOR o IN SELECT oid FROM pg_largeobject_metadata WHERE oid::int8 % 11 = 0 LOOP
    EXECUTE format('COMMENT ON LARGE OBJECT %s IS %L', o, 'comment ''' || o || '''');
  END LOOP;
  FOR o IN SELECT oid FROM pg_largeobject_metadata WHERE oid::int8 % 13 = 0 LOOP
    EXECUTE format('REVOKE ALL ON LARGE OBJECT %s FROM PUBLIC', o);
  END LOOP;
END $$;
CREATE TABLE t (a int);
INSERT INTO t VALUES (1);
COMMENT ON TABLE t IS 'a table among the objects';
)SQL";

class DumpLargeObjects : public DatabaseSuite<DumpLargeObjects> {
 protected:
  static void SetUpTestSuite() { setUpDatabase("los", kFixture, "pgarc-dump-lo-"); }

  static CommandResult dump(const std::string& program, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {program};
    if (program == pgarcBinary()) argv.push_back("dump");
    for (const auto& a : server_->clientArgs()) argv.push_back(a);
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("los");
    return run(argv);
  }
  // Stock pg_dump and pgarc dump with the same arguments, output to `name`.stock / `name`.ours.
  static void dumpBoth(const std::string& name, std::vector<std::string> args) {
    args.push_back("-f");
    args.push_back(dir_ + "/" + name + ".stock");
    auto s = dump(pgBinDir() + "/pg_dump", args);
    ASSERT_EQ(s.exitCode, 0) << s.err;
    args.back() = dir_ + "/" + name + ".ours";
    auto o = dump(pgarcBinary(), args);
    ASSERT_EQ(o.exitCode, 0) << o.err;
  }
  static std::string tarMember(const std::string& archive, const std::string& member) {
    auto r = run({"tar", "-xOf", archive, member});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out;
  }
  static void expectVerifies(const std::string& archive) {
    auto r = run({pgarcBinary(), "verify", archive});
    EXPECT_EQ(r.exitCode, 0) << archive << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("checked against manifest"), std::string::npos) << r.out;
  }
};

TEST_F(DumpLargeObjects, CustomArchiveIsByteIdenticalExceptTime) {
  for (const std::vector<std::string>& opts : std::vector<std::vector<std::string>>{
           {}, {"-Z0"}, {"-a"}, {"-x"}, {"--no-comments"}, {"-O"}, {"--section=pre-data"}, {"-s", "-b"}}) {
    std::vector<std::string> args = {"-Fc"};
    args.insert(args.end(), opts.begin(), opts.end());
    dumpBoth("bytes", args);
    std::string a = readFile(dir_ + "/bytes.stock"), b = readFile(dir_ + "/bytes.ours");
    std::string what = opts.empty() ? "(defaults)" : opts[0];
    ASSERT_EQ(a.size(), b.size()) << what;
    size_t diffs = 0;
    for (size_t i = 0; i < a.size(); i++) diffs += a[i] != b[i];
    EXPECT_LE(diffs, 8u) << what;  // the creation time only
  }
  expectVerifies(dir_ + "/bytes.ours");
}

TEST_F(DumpLargeObjects, DirectoryAndTarGiveStockScriptAndListing) {
  for (const char* format : {"-Fd", "-Ft"}) {
    dumpBoth(format + 1, {format});
    const std::string s = dir_ + "/" + (format + 1) + ".stock", o = dir_ + "/" + (format + 1) + ".ours";
    EXPECT_TRUE(sameText(listing(s), listing(o))) << format;
    EXPECT_TRUE(sameText(restoreScript(s), restoreScript(o))) << format;
    expectVerifies(o);
  }
  // The directory's blob index lists the objects as stock does.
  EXPECT_TRUE(sameText(readFile(dir_ + "/Fd.stock/blobs.toc"), readFile(dir_ + "/Fd.ours/blobs.toc")));
  // So does the tar's restore.sql, with or without drop statements.
  for (const char* clean : {"", "-c"}) {
    std::vector<std::string> args = {"-Ft"};
    if (*clean) args.push_back(clean);
    dumpBoth("restore.t", args);
    EXPECT_TRUE(sameText(tarMember(dir_ + "/restore.t.stock", "restore.sql"),
                         tarMember(dir_ + "/restore.t.ours", "restore.sql")))
        << clean;
  }
}

// pgarc dump writes archive version 1.16 without ever holding the 1.14
// entries; its archive must be the one pgarc convert makes from stock's 1.14
// archive (the grouping the matrix tests check against pg_restore 17/18).
TEST_F(DumpLargeObjects, Version116EqualsConvertedStock) {
  const std::vector<std::vector<std::string>> optionSets = {{}, {"-s", "-b"}, {"-a"}, {"-x"}};
  for (size_t set = 0; set < optionSets.size(); set++) {
    const std::vector<std::string>& opts = optionSets[set];
    const std::string what = opts.empty() ? "(defaults)" : opts[0];
    std::vector<std::string> stockArgs = {"-Fc", "-f", dir_ + "/v14.stock"};
    stockArgs.insert(stockArgs.end(), opts.begin(), opts.end());
    auto s = dump(pgBinDir() + "/pg_dump", stockArgs);
    ASSERT_EQ(s.exitCode, 0) << s.err;
    for (const char* format : {"c", "d"}) {
      const std::string name = "/v16." + std::to_string(set) + "." + format;
      const std::string converted = dir_ + name + ".conv", ours = dir_ + name + ".ours";
      auto c = run({pgarcBinary(), "convert", std::string("-F") + format, "--archive-version=1.16", "-f", converted,
                    dir_ + "/v14.stock"});
      ASSERT_EQ(c.exitCode, 0) << c.err;
      std::vector<std::string> args = {std::string("-F") + format, "--archive-version", "1.16", "--no-manifest", "-f", ours};
      args.insert(args.end(), opts.begin(), opts.end());
      auto o = dump(pgarcBinary(), args);
      ASSERT_EQ(o.exitCode, 0) << o.err;
      const bool directory = *format == 'd';
      const std::string a = readFile(directory ? converted + "/toc.dat" : converted);
      const std::string b = readFile(directory ? ours + "/toc.dat" : ours);
      ASSERT_EQ(a.size(), b.size()) << what << " -F" << format;
      size_t diffs = 0;
      for (size_t i = 0; i < a.size(); i++) diffs += a[i] != b[i];
      EXPECT_LE(diffs, 8u) << what << " -F" << format;  // the creation time only
    }
  }
}

TEST_F(DumpLargeObjects, PlainEqualsStock) {
  for (const std::vector<std::string>& opts :
       std::vector<std::vector<std::string>>{{}, {"-a"}, {"-c"}, {"-c", "--if-exists", "-C"}, {"-s", "-b", "-c"}}) {
    std::vector<std::string> args = {"-Fp", "--restrict-key=K"};
    args.insert(args.end(), opts.begin(), opts.end());
    auto s = dump(pgBinDir() + "/pg_dump", args);
    auto o = dump(pgarcBinary(), args);
    ASSERT_EQ(s.exitCode, 0) << s.err;
    ASSERT_EQ(o.exitCode, 0) << o.err;
    EXPECT_TRUE(sameText(s.out, o.out)) << (opts.empty() ? "(defaults)" : opts[0]);
  }
}

TEST_F(DumpLargeObjects, ParallelDumpsGiveStockScript) {
  dumpBoth("par.d", {"-Fd", "-j2"});
  EXPECT_TRUE(sameText(listing(dir_ + "/par.d.stock"), listing(dir_ + "/par.d.ours")));
  EXPECT_TRUE(sameText(restoreScript(dir_ + "/par.d.stock"), restoreScript(dir_ + "/par.d.ours")));
  expectVerifies(dir_ + "/par.d.ours");
  auto o = dump(pgarcBinary(), {"-Fc", "-j2", "-f", dir_ + "/par.c.ours"});
  ASSERT_EQ(o.exitCode, 0) << o.err;
  EXPECT_TRUE(sameText(restoreScript(dir_ + "/par.d.stock"), restoreScript(dir_ + "/par.c.ours")));
  expectVerifies(dir_ + "/par.c.ours");
}

}  // namespace
