#include "format/script/data_printer.hpp"

#include "format/script/entry_printer.hpp"
#include "format/script/sql_text.hpp"

namespace pgarc::script {
namespace {

// pg_restore's large-object write buffer; each full buffer becomes one lowrite.
constexpr size_t kLargeObjectBuffer = 16384;
constexpr int kInvWrite = 0x20000;

class VerbatimSink : public DataSink {
 public:
  explicit VerbatimSink(Printer& out) : out_(out) {}
  Status data(std::string_view bytes) override {
    out_.put(bytes);
    return {};
  }

 private:
  Printer& out_;
};

class LargeObjectSink : public BlobSink {
 public:
  LargeObjectSink(ScriptContext& ctx, bool oldStyle) : ctx_(ctx), oldStyle_(oldStyle) {}

  Status beginBlob(uint32_t oid) override {
    buffer_.clear();
    const std::string id = std::to_string(oid);
    if (oldStyle_ && ctx_.opt.clean) {
      ctx_.out.put("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '" + id +
                   "';\n");
    }
    if (oldStyle_)
      ctx_.out.put("SELECT pg_catalog.lo_open(pg_catalog.lo_create('" + id + "'), " + std::to_string(kInvWrite) +
                   ");\n");
    else
      ctx_.out.put("SELECT pg_catalog.lo_open('" + id + "', " + std::to_string(kInvWrite) + ");\n");
    return {};
  }

  Status data(std::string_view bytes) override {
    while (buffer_.size() + bytes.size() > kLargeObjectBuffer) {
      size_t room = kLargeObjectBuffer - buffer_.size();
      buffer_.append(bytes.substr(0, room));
      bytes.remove_prefix(room);
      flush();
    }
    buffer_.append(bytes);
    return {};
  }

  Status endBlob(uint32_t) override {
    if (!buffer_.empty()) flush();
    ctx_.out.put("SELECT pg_catalog.lo_close(0);\n\n");
    return {};
  }

 private:
  void flush() {
    ctx_.out.put("SELECT pg_catalog.lowrite(0, " + byteaHexLiteral(buffer_, ctx_.standardStrings) + ");\n");
    buffer_.clear();
  }
  ScriptContext& ctx_;
  bool oldStyle_;
  std::string buffer_;
};

std::string dataFileName(const TocEntry& e) { return e.filename ? *e.filename : std::to_string(e.dumpId) + ".dat"; }

// tar's restore.sql: the data stays in member files that psql reads.
void printTarScriptReference(ScriptContext& ctx, const TocEntry& e) {
  const std::string file = dataFileName(e);
  if (e.copyStmt && e.descStr() != "BLOBS") {
    const std::string& copy = *e.copyStmt;
    static constexpr std::string_view kFromStdin = " FROM stdin;\n";
    ctx.out.put("\\.\n");
    if (copy.size() >= kFromStdin.size() + 6 && startsWith(copy, "COPY ") &&
        copy.compare(copy.size() - kFromStdin.size(), kFromStdin.size(), kFromStdin) == 0) {
      ctx.out.put(std::string_view(copy).substr(0, copy.size() - kFromStdin.size()));
      ctx.out.put(" FROM '$$PATH$$/" + file + "';\n\n");
    } else {
      ctx.out.fail(makeError("unexpected COPY statement syntax: \"" + copy + "\"").withDumpId(e.dumpId));
    }
  } else {
    ctx.out.put("\\i $$PATH$$/" + file + "\n\n");
  }
}

void setTriggers(ScriptContext& ctx, const TocEntry& e, const char* action) {
  if (!ctx.dataOnly || !ctx.opt.disableTriggers) return;
  becomeUser(ctx, ctx.opt.superuser);
  ctx.out.put("ALTER TABLE " + quoteQualified(e.namespace_ ? *e.namespace_ : "", e.tagStr()) + " " + action +
              " TRIGGER ALL;\n\n");
}

void printLargeObjects(ScriptContext& ctx, const TocEntry& e, DataSource& data) {
  if (ctx.opt.mode == ScriptMode::TarRestoreSql) {
    printTarScriptReference(ctx, e);
    return;
  }
  if (!ctx.opt.singleTransaction) ctx.out.put("BEGIN;\n\n");
  LargeObjectSink sink(ctx, !ctx.toc.header.version.atLeast(1, 12));
  Status st = data.readBlobs(e, sink);
  if (!st.ok()) {
    ctx.out.fail(std::move(st).error().withDumpId(e.dumpId));
    return;
  }
  if (!ctx.opt.singleTransaction) ctx.out.put("COMMIT;\n\n");
}

}  // namespace

void printEntryData(ScriptContext& ctx, const TocEntry& e, DataSource& data) {
  const std::string desc = e.descStr();
  printTocEntry(ctx, e, true);
  if (desc == "BLOBS") {
    selectSchema(ctx, std::string("pg_catalog"));
    printLargeObjects(ctx, e, data);
    return;
  }
  const bool oldBlobComments = desc == "BLOB COMMENTS";
  if (oldBlobComments) {
    selectSchema(ctx, std::string("pg_catalog"));
  } else {
    setTriggers(ctx, e, "DISABLE");
    becomeOwner(ctx, e);
    selectSchema(ctx, e.namespace_);
    if (e.copyStmt && !e.copyStmt->empty()) ctx.out.put(*e.copyStmt);
  }
  if (ctx.opt.mode == ScriptMode::TarRestoreSql) {
    printTarScriptReference(ctx, e);
  } else {
    VerbatimSink sink(ctx.out);
    Status st = data.readTableData(e, sink);
    if (!st.ok()) ctx.out.fail(std::move(st).error().withDumpId(e.dumpId));
  }
  if (!oldBlobComments) setTriggers(ctx, e, "ENABLE");
}

}  // namespace pgarc::script
