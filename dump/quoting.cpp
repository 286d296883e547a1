#include "dump/quoting.hpp"

#include <algorithm>

namespace pgarc::dump {

bool isQuotingKeyword(std::string_view word) {
  const auto& words = reservedKeywords();
  return std::binary_search(words.begin(), words.end(), word);
}

std::string Quoter::id(std::string_view ident) const {
  bool needQuotes = quoteAll_;
  if (!needQuotes) {
    if (ident.empty() || !((ident[0] >= 'a' && ident[0] <= 'z') || ident[0] == '_')) {
      needQuotes = true;
    } else {
      for (char c : ident) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
          needQuotes = true;
          break;
        }
      }
    }
    if (!needQuotes && isQuotingKeyword(ident)) needQuotes = true;
  }
  if (!needQuotes) return std::string(ident);
  std::string out;
  out.reserve(ident.size() + 2);
  out.push_back('"');
  for (char c : ident) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string Quoter::qualified(std::string_view schema, std::string_view name) const {
  if (schema.empty()) return id(name);
  return id(schema) + "." + id(name);
}

std::string Quoter::literal(std::string_view s) const {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('\'');
  for (char c : s) {
    if (c == '\'' || (c == '\\' && !stdStrings_)) out.push_back(c);
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string Quoter::connectionLiteral(std::string_view s) const {
  return s.find('\\') == std::string_view::npos ? literal(s) : "E" + Quoter(quoteAll_, false).literal(s);
}

std::string dollarQuote(std::string_view s, std::string_view prefix) {
  static constexpr std::string_view kSuffixes = "_XXXXXXX";
  std::string delim = "$";
  delim += prefix;
  size_t next = 0;
  while (s.find(delim) != std::string_view::npos) {
    delim.push_back(kSuffixes[next++]);
    next %= kSuffixes.size();
  }
  delim.push_back('$');
  std::string out;
  out.reserve(s.size() + 2 * delim.size());
  out += delim;
  out += s;
  out += delim;
  return out;
}

}  // namespace pgarc::dump
