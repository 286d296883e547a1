#include "dump/snapshot.hpp"

#include <libpq-fe.h>

#include "dump/quoting.hpp"

namespace pgarc::dump {

Status restrictRelationKinds(Connection& conn, const char* kinds) {
  // Through pg_settings so that servers without the setting return no row instead of an error.
  return conn.exec(std::string("SELECT set_config(name, '") + kinds +
                   "', false) FROM pg_settings WHERE name = 'restrict_nonsystem_relation_kind'");
}

Status setupSession(Connection& conn, const DumpOptions& o) {
  if (o.encoding) {
    if (PQsetClientEncoding(conn.raw(), o.encoding->c_str()) != 0)
      return makeError("invalid client encoding \"" + *o.encoding + "\" specified");
  }
  if (o.role) PGARC_TRY(conn.exec("SET ROLE " + Quoter().id(*o.role)));
  PGARC_TRY(conn.exec("SET DATESTYLE = ISO"));
  PGARC_TRY(conn.exec("SET INTERVALSTYLE = POSTGRES"));
  PGARC_TRY(conn.exec("SET extra_float_digits TO " + std::to_string(o.extraFloatDigits.value_or(3))));
  PGARC_TRY(conn.exec("SET synchronize_seqscans TO off"));
  PGARC_TRY(conn.exec("SET statement_timeout = 0"));
  PGARC_TRY(conn.exec("SET lock_timeout = 0"));
  PGARC_TRY(conn.exec("SET idle_in_transaction_session_timeout = 0"));
  if (o.quoteAllIdentifiers) PGARC_TRY(conn.exec("SET quote_all_identifiers = true"));
  PGARC_TRY(conn.exec(o.enableRowSecurity ? "SET row_security = on" : "SET row_security = off"));
  PGARC_TRY(restrictRelationKinds(conn, kRestrictedKinds));
  // The catalog queries of a big schema cost enough for the planner to JIT
  // compile them, which takes longer than running them (seconds for the
  // index query at 10,000 tables). The output does not depend on it.
  if (conn.serverVersion() >= 110000) PGARC_TRY(conn.exec("SET jit = off"));
  PGARC_TRY(conn.exec("BEGIN"));
  if (o.serializableDeferrable && !o.snapshot)
    PGARC_TRY(conn.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"));
  else
    PGARC_TRY(conn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
  if (o.snapshot) PGARC_TRY(conn.exec("SET TRANSACTION SNAPSHOT " + conn.literal(*o.snapshot)));
  return {};
}

}  // namespace pgarc::dump
