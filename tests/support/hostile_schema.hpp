#pragma once
// RapidCheck generators of hostile PostgreSQL databases for comparing
// `pgarc dump` with stock pg_dump: identifiers, comments, literals and data
// chosen to break quoting, dollar-quote tag choice, literal escaping, COPY
// escaping and sort order, spread over many object kinds.
//
// A generated database is a list of independent fragments (each creates its
// own objects), so that RapidCheck can shrink a failing database by dropping
// fragments and still have a script that runs. Names are made unique when the
// script is rendered, after PostgreSQL's 63-byte truncation.
#include <rapidcheck.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace pgarc::test::hostile {

// Roles the fragments grant to, own objects as, and name in default
// privileges; created once per server (see createRolesSql).
const std::vector<std::string>& roleNames();
std::string createRolesSql();

// Double-quoted identifier and standard-conforming string literal.
std::string ident(const std::string& name);
std::string literal(const std::string& text);
// A libpq connection string value: single-quoted, with ' and \ escaped.
std::string conninfoValue(const std::string& value);
// `name` cut to at most `maxBytes` bytes without splitting a UTF-8 character,
// as PostgreSQL truncates identifiers.
std::string clipUtf8(const std::string& name, size_t maxBytes = 63);

// Hands out quoted identifiers that are unique in the database after
// truncation, so that independent fragments never collide.
class NameBook {
 public:
  explicit NameBook(std::vector<std::string> schemas) : schemas_(std::move(schemas)) {}
  std::string fresh(const std::string& wanted);
  // The quoted name of one of the database's schemas (index taken modulo).
  std::string schema(size_t index) const;

 private:
  std::vector<std::string> schemas_;
  std::set<std::string> used_;
};

struct Fragment {
  std::string kind;
  std::function<std::string(NameBook&)> render;
};

struct Database {
  // The server encoding the database is created with (LOCALE 'C'): UTF8,
  // LATIN1 or SQL_ASCII. The script's UTF-8 bytes are sent as they are, so
  // in a single-byte encoding every byte of a multibyte character becomes a
  // character of its own.
  std::string encoding = "UTF8";
  std::vector<std::string> schemas;  // created first; "public" is always there too
  std::vector<Fragment> fragments;
};

std::string renderSql(const Database& db);

rc::Gen<std::string> hostileName();
rc::Gen<std::string> hostileText();
rc::Gen<Database> database();

}  // namespace pgarc::test::hostile
