#include "dump/acl.hpp"

namespace pgarc::dump {

std::optional<std::vector<std::string>> parsePgArray(const std::string& text) {
  std::vector<std::string> items;
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  size_t i = 1;
  const size_t end = text.size() - 1;
  if (i == end) return items;
  while (i < end) {
    std::string item;
    if (text[i] == '"') {
      i++;
      while (i < end && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < end) i++;
        item.push_back(text[i++]);
      }
      if (i >= end) return std::nullopt;
      i++;  // closing quote
    } else {
      while (i < end && text[i] != ',') {
        if (text[i] == '\\' && i + 1 < end) i++;
        item.push_back(text[i++]);
      }
    }
    items.push_back(std::move(item));
    if (i < end) {
      if (text[i] != ',') return std::nullopt;
      i++;
    }
  }
  return items;
}

namespace {

// Reads a role name up to '=' or the end; quoted names use "" for ".
size_t copyAclUserName(const std::string& in, size_t pos, std::string& out) {
  out.clear();
  while (pos < in.size() && in[pos] != '=') {
    if (in[pos] != '"') {
      out.push_back(in[pos++]);
      continue;
    }
    pos++;
    while (!(pos < in.size() && in[pos] == '"' && (pos + 1 >= in.size() || in[pos + 1] != '"'))) {
      if (pos >= in.size()) return pos;
      if (in[pos] == '"' && pos + 1 < in.size() && in[pos + 1] == '"') pos++;
      out.push_back(in[pos++]);
    }
    pos++;
  }
  return pos;
}

void addAcl(std::string& buf, const char* keyword, const std::string& subname) {
  if (!buf.empty()) buf.push_back(',');
  buf += keyword;
  if (!subname.empty()) buf += "(" + subname + ")";
}

struct ParsedAcl {
  std::string grantee, grantor, privs, privswgo;
};

// One aclitem "grantee=privs/grantor" as privilege keyword lists.
bool parseAclItem(const std::string& item, const std::string& type, const std::string& subname, bool withGrantOption,
                  ParsedAcl& out) {
  size_t eq = copyAclUserName(item, 0, out.grantee);
  if (eq >= item.size() || item[eq] != '=') return false;
  size_t slash = item.find('/', eq + 1);
  if (slash == std::string::npos) return false;
  std::string privcodes = item.substr(eq + 1, slash - eq - 1);
  size_t after = copyAclUserName(item, slash + 1, out.grantor);
  if (after != item.size()) return false;

  bool allWithGo = true, allWithoutGo = true;
  out.privs.clear();
  out.privswgo.clear();
  auto convert = [&](char code, const char* keyword) {
    size_t p = privcodes.find(code);
    if (p != std::string::npos) {
      if (p + 1 < privcodes.size() && privcodes[p + 1] == '*' && withGrantOption) {
        addAcl(out.privswgo, keyword, subname);
        allWithoutGo = false;
      } else {
        addAcl(out.privs, keyword, subname);
        allWithGo = false;
      }
    } else {
      allWithGo = allWithoutGo = false;
    }
  };
  if (type == "TABLE" || type == "SEQUENCE" || type == "TABLES" || type == "SEQUENCES") {
    convert('r', "SELECT");
    if (type == "SEQUENCE" || type == "SEQUENCES") {
      convert('U', "USAGE");
    } else {
      convert('a', "INSERT");
      convert('x', "REFERENCES");
      if (subname.empty()) {
        convert('d', "DELETE");
        convert('t', "TRIGGER");
        convert('D', "TRUNCATE");
      }
    }
    convert('w', "UPDATE");
  } else if (type == "FUNCTION" || type == "FUNCTIONS" || type == "PROCEDURE" || type == "PROCEDURES") {
    convert('X', "EXECUTE");
  } else if (type == "LANGUAGE") {
    convert('U', "USAGE");
  } else if (type == "SCHEMA" || type == "SCHEMAS") {
    convert('C', "CREATE");
    convert('U', "USAGE");
  } else if (type == "DATABASE") {
    convert('C', "CREATE");
    convert('c', "CONNECT");
    convert('T', "TEMPORARY");
  } else if (type == "TABLESPACE") {
    convert('C', "CREATE");
  } else if (type == "TYPE" || type == "TYPES" || type == "DOMAIN" || type == "FOREIGN DATA WRAPPER" ||
             type == "FOREIGN SERVER") {
    convert('U', "USAGE");
  } else if (type == "FOREIGN TABLE") {
    convert('r', "SELECT");
  } else if (type == "PARAMETER") {
    convert('s', "SET");
    convert('A', "ALTER SYSTEM");
  } else if (type == "LARGE OBJECT") {
    convert('r', "SELECT");
    convert('w', "UPDATE");
  } else {
    return false;
  }
  if (allWithGo) {
    out.privs.clear();
    out.privswgo = "ALL";
    if (!subname.empty()) out.privswgo += "(" + subname + ")";
  } else if (allWithoutGo) {
    out.privswgo.clear();
    out.privs = "ALL";
    if (!subname.empty()) out.privs += "(" + subname + ")";
  }
  return true;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

std::string target(const Quoter& q, const std::string& type, const std::string& nspname, const std::string& name) {
  std::string t = " ON " + type + " ";
  if (!nspname.empty()) t += q.id(nspname) + ".";
  // pg_dump writes "<name> " even for an empty name (default privileges:
  // "ON TABLES  FROM").
  t += name + " ";
  return t;
}

}  // namespace

std::optional<std::string> buildAclCommands(const Quoter& q, const std::string& name, const std::string& subname,
                                            const std::string& nspname, const std::string& type,
                                            const std::string& acls, const std::string& baseacls,
                                            const std::string& owner) {
  return buildAclCommands(q, name, subname, nspname, type, acls, baseacls, owner, "");
}

std::optional<std::string> buildAclCommands(const Quoter& q, const std::string& name, const std::string& subname,
                                            const std::string& nspname, const std::string& type,
                                            const std::string& acls, const std::string& baseacls,
                                            const std::string& owner, const std::string& prefix) {
  // A NULL ACL means the default privileges: nothing to grant or revoke.
  if (acls.empty()) return std::string();
  auto aclItems = parsePgArray(acls.empty() ? "{}" : acls);
  auto baseItems = parsePgArray(baseacls.empty() ? "{}" : baseacls);
  if (!aclItems || !baseItems) return std::nullopt;

  std::vector<std::string> grants, revokes;
  for (const auto& a : *aclItems)
    if (!contains(*baseItems, a)) grants.push_back(a);
  for (const auto& b : *baseItems)
    if (!contains(*aclItems, b)) revokes.push_back(b);

  std::string first, second;
  ParsedAcl p;
  for (const auto& item : revokes) {
    if (!parseAclItem(item, type, subname, false, p)) return std::nullopt;
    if (p.privs.empty()) continue;
    first += prefix + "REVOKE " + p.privs + target(q, type, nspname, name) + "FROM ";
    first += p.grantee.empty() ? std::string("PUBLIC;\n") : q.id(p.grantee) + ";\n";
  }
  for (const auto& item : grants) {
    if (!parseAclItem(item, type, subname, true, p)) return std::nullopt;
    if (p.privs.empty() && p.privswgo.empty()) continue;
    if (p.grantor.empty() && !owner.empty()) p.grantor = owner;
    std::string& out = (!owner.empty() && p.grantee == owner && p.grantor == owner) ? first : second;
    bool switchUser = !p.grantor.empty() && (owner.empty() || owner != p.grantor);
    if (switchUser) out += "SET SESSION AUTHORIZATION " + q.id(p.grantor) + ";\n";
    std::string grantee = p.grantee.empty() ? std::string("PUBLIC") : q.id(p.grantee);
    if (!p.privs.empty()) out += prefix + "GRANT " + p.privs + target(q, type, nspname, name) + "TO " + grantee + ";\n";
    if (!p.privswgo.empty())
      out += prefix + "GRANT " + p.privswgo + target(q, type, nspname, name) + "TO " + grantee + " WITH GRANT OPTION;\n";
    if (switchUser) out += "RESET SESSION AUTHORIZATION;\n";
  }
  return first + second;
}

Result<DumpId> dumpAcl(EmitContext& ctx, DumpId objDumpId, DumpId altDumpId, const std::string& type,
                       const std::string& name, const std::string& subname, const std::string& nspname,
                       const std::string& owner, const AclInfo& acl) {
  if (ctx.options.noPrivileges) return DumpId{0};
  if (ctx.options.dataOnly && type != "LARGE OBJECT") return DumpId{0};
  // A binary upgrade restores an extension's members one by one instead of
  // running its script: their initial privileges (pg_init_privs) are
  // recreated by GRANT/REVOKE from the default while the server records them.
  std::string initial;
  if (ctx.options.binaryUpgrade && acl.privtype == "e" && !acl.initprivs.empty()) {
    auto init = buildAclCommands(ctx.quote, name, subname, nspname, type, acl.initprivs, acl.acldefault, owner);
    if (!init)
      return makeError("could not parse initial ACL list (" + acl.initprivs + ") or default (" + acl.acldefault +
                       ") for object \"" + name + "\" (" + type + ")");
    initial = "SELECT pg_catalog.binary_upgrade_set_record_init_privs(true);\n" + *init +
              "SELECT pg_catalog.binary_upgrade_set_record_init_privs(false);\n";
  }
  std::string acls = acl.acl;
  std::string base;
  if (!acl.initprivs.empty()) {
    base = acl.initprivs;
    if (acls.empty()) acls = acl.acldefault;
  } else {
    base = acl.acldefault;
  }
  auto sql = buildAclCommands(ctx.quote, name, subname, nspname, type, acls, base, owner);
  if (!sql)
    return makeError("could not parse ACL list (" + acls + ") for object \"" + name + "\" (" + type + ")");
  sql->insert(0, initial);
  if (sql->empty()) return DumpId{0};
  EntrySpec e;
  e.dumpId = ctx.store.newDumpId();
  e.tag = subname.empty() ? type + " " + name : "COLUMN " + name + "." + subname;
  e.namespace_ = nspname.empty() ? std::nullopt : std::optional<std::string>(nspname);
  e.owner = owner;
  e.desc = "ACL";
  e.section = Section::None;
  e.defn = *sql;
  e.deps.push_back(objDumpId);
  if (altDumpId) e.deps.push_back(altDumpId);
  DumpId id = e.dumpId;
  ctx.add(std::move(e));
  return id;
}

}  // namespace pgarc::dump
