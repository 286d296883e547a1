#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <random>

#include "format/script/script_context.hpp"
#include "format/script/sql_text.hpp"

namespace pgarc::script {
namespace {

// PostgreSQL's canonical client encoding names; an ENCODING entry is matched
// ignoring case and punctuation, as pg_char_to_encoding does.
constexpr std::array<std::string_view, 41> kEncodings = {
    "SQL_ASCII", "EUC_JP", "EUC_CN", "EUC_KR", "EUC_TW", "EUC_JIS_2004", "UTF8", "MULE_INTERNAL",
    "LATIN1", "LATIN2", "LATIN3", "LATIN4", "LATIN5", "LATIN6", "LATIN7", "LATIN8", "LATIN9",
    "LATIN10", "WIN1256", "WIN1258", "WIN866", "WIN874", "KOI8R", "WIN1251", "WIN1252",
    "ISO_8859_5", "ISO_8859_6", "ISO_8859_7", "ISO_8859_8", "WIN1250", "WIN1253", "WIN1254",
    "WIN1255", "WIN1257", "KOI8U", "SJIS", "BIG5", "GBK", "UHC", "GB18030", "JOHAB"};

std::string cleanEncodingName(std::string_view name) {
  std::string out;
  for (unsigned char c : name)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

std::optional<std::string> canonicalEncoding(std::string_view name) {
  std::string clean = cleanEncodingName(name);
  if (clean == "unicode") return std::string("UTF8");
  if (clean == "shiftjis2004") return std::string("SHIFT_JIS_2004");
  for (auto e : kEncodings)
    if (cleanEncodingName(e) == clean) return std::string(e);
  return std::nullopt;
}

void emitSql(ScriptContext& ctx, const std::string& statementWithSemicolon) {
  ctx.out.put(statementWithSemicolon);
  ctx.out.put("\n\n");
}

}  // namespace

Status applySpecialEntries(ScriptContext& ctx) {
  for (const TocEntry& e : ctx.toc.entries) {
    const std::string desc = e.descStr();
    const std::string defn = e.defn ? *e.defn : std::string();
    if (desc == "ENCODING") {
      size_t q1 = defn.find('\'');
      size_t q2 = q1 == std::string::npos ? q1 : defn.find('\'', q1 + 1);
      if (q2 == std::string::npos) return makeError("invalid ENCODING item: " + defn).withDumpId(e.dumpId);
      std::string name = defn.substr(q1 + 1, q2 - q1 - 1);
      auto canon = canonicalEncoding(name);
      if (!canon) return makeError("unrecognized encoding \"" + name + "\"").withDumpId(e.dumpId);
      ctx.encoding = *canon;
    } else if (desc == "STDSTRINGS") {
      size_t q = defn.find('\'');
      std::string_view rest = q == std::string::npos ? std::string_view() : std::string_view(defn).substr(q);
      if (startsWith(rest, "'on'")) ctx.standardStrings = true;
      else if (startsWith(rest, "'off'")) ctx.standardStrings = false;
      else return makeError("invalid STDSTRINGS item: " + defn).withDumpId(e.dumpId);
    } else if (desc == "SEARCHPATH") {
      ctx.searchPath = defn;
    }
  }
  return {};
}

void printFixedOutputState(ScriptContext& ctx) {
  Printer& out = ctx.out;
  out.put("SET statement_timeout = 0;\n");
  out.put("SET lock_timeout = 0;\n");
  out.put("SET idle_in_transaction_session_timeout = 0;\n");
  out.put("SET client_encoding = '" + ctx.encoding + "';\n");
  out.put(std::string("SET standard_conforming_strings = ") + (ctx.standardStrings ? "on" : "off") + ";\n");
  if (ctx.opt.role) out.put("SET ROLE " + quoteIdent(*ctx.opt.role, ctx.opt.quoteAllIdentifiers) + ";\n");
  if (ctx.searchPath) out.put(*ctx.searchPath);
  out.put("SET check_function_bodies = false;\n");
  out.put("SET xmloption = content;\n");
  out.put("SET client_min_messages = warning;\n");
  if (!ctx.standardStrings) out.put("SET escape_string_warning = off;\n");
  out.put(ctx.opt.enableRowSecurity ? "SET row_security = on;\n" : "SET row_security = off;\n");
  out.put("\n");
}

void becomeUser(ScriptContext& ctx, const std::optional<std::string>& user) {
  std::string who = user ? *user : std::string();
  if (ctx.currUser && *ctx.currUser == who) return;
  std::string cmd = "SET SESSION AUTHORIZATION ";
  cmd += who.empty() ? std::string("DEFAULT") : quoteLiteral(who, ctx.standardStrings);
  cmd += ';';
  emitSql(ctx, cmd);
  ctx.currUser = who;
}

void becomeOwner(ScriptContext& ctx, const TocEntry& entry) {
  if (ctx.opt.noOwner || !ctx.opt.useSetSessionAuthorization) return;
  becomeUser(ctx, entry.owner);
}

void selectSchema(ScriptContext& ctx, const std::optional<std::string>& schema) {
  // Archives with a SEARCHPATH entry keep that path throughout.
  if (ctx.searchPath) return;
  if (!schema || schema->empty() || (ctx.currSchema && *ctx.currSchema == *schema)) return;
  std::string cmd = "SET search_path = " + quoteIdent(*schema, ctx.opt.quoteAllIdentifiers);
  if (*schema != "pg_catalog") cmd += ", pg_catalog";
  emitSql(ctx, cmd + ";");
  ctx.currSchema = *schema;
}

void selectTablespace(ScriptContext& ctx, const std::optional<std::string>& tablespace) {
  if (ctx.opt.noTablespaces || !tablespace) return;
  if (ctx.currTablespace && *ctx.currTablespace == *tablespace) return;
  if (tablespace->empty()) emitSql(ctx, "SET default_tablespace = '';");
  else emitSql(ctx, "SET default_tablespace = " + quoteIdent(*tablespace, ctx.opt.quoteAllIdentifiers) + ";");
  ctx.currTablespace = *tablespace;
}

void selectTableAccessMethod(ScriptContext& ctx, const std::optional<std::string>& tableam) {
  if (ctx.opt.noTableAccessMethod || !tableam) return;
  if (ctx.currTableAm && *ctx.currTableAm == *tableam) return;
  emitSql(ctx, "SET default_table_access_method = " + quoteIdent(*tableam, ctx.opt.quoteAllIdentifiers) + ";");
  ctx.currTableAm = *tableam;
}

void reconnectTo(ScriptContext& ctx, const std::string& dbname) {
  // psql cannot take such a name in \connect; pg_dump and pg_restore stop here.
  if (dbname.find_first_of("\n\r") != std::string::npos) {
    ctx.out.fail(makeError("database name contains a newline or carriage return: \"" + dbname + "\""));
    return;
  }
  ctx.out.put("\\unrestrict " + ctx.restrictKey + "\n");
  ctx.out.put(psqlConnectCommand(dbname, ctx.opt.quoteAllIdentifiers));
  ctx.out.put("\\restrict " + ctx.restrictKey + "\n\n");
  ctx.currUser.reset();
  ctx.currSchema.reset();
  ctx.currTablespace.reset();
  printFixedOutputState(ctx);
}

long long archiveCreationTime(const ArchiveHeader& header) {
  std::tm tm{};
  tm.tm_sec = header.created.sec;
  tm.tm_min = header.created.min;
  tm.tm_hour = header.created.hour;
  tm.tm_mday = header.created.mday;
  tm.tm_mon = header.created.mon;
  tm.tm_year = header.created.year;
  tm.tm_isdst = header.created.isdst;
  return static_cast<long long>(std::mktime(&tm));
}

std::string formatLocalTime(long long epochSeconds) {
  std::time_t t = static_cast<std::time_t>(epochSeconds);
  std::tm tm{};
  char buf[64];
  if (localtime_r(&t, &tm) == nullptr || std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
    return {};
  return buf;
}

void printTimestamp(ScriptContext& ctx, const char* label, long long epochSeconds) {
  std::string stamp = formatLocalTime(epochSeconds);
  if (stamp.empty()) return;
  ctx.out.put(std::string("-- ") + label + " " + stamp + "\n\n");
}

std::string randomRestrictKey() {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<size_t> pick(0, sizeof(kChars) - 2);
  std::string key;
  for (int i = 0; i < 63; ++i) key += kChars[pick(device)];
  return key;
}

}  // namespace pgarc::script
