#include "tests/support/text_compare.hpp"

namespace pgarc::test {

std::string withoutArchiveTimestamp(const std::string& listing) {
  std::string out;
  size_t pos = 0;
  while (pos < listing.size()) {
    size_t nl = listing.find('\n', pos);
    if (nl == std::string::npos) nl = listing.size();
    std::string_view line(listing.data() + pos, nl - pos);
    if (line.rfind("; Archive created at", 0) != 0) {
      out += line;
      out += '\n';
    }
    pos = nl + 1;
  }
  return out;
}

std::string firstDifference(const std::string& ours, const std::string& stock) {
  size_t i = 0;
  while (i < ours.size() && i < stock.size() && ours[i] == stock[i]) i++;
  size_t from = ours.rfind('\n', i == 0 ? 0 : i - 1);
  from = from == std::string::npos ? 0 : from + 1;
  return "sizes " + std::to_string(ours.size()) + " vs " + std::to_string(stock.size()) +
         ", first difference at byte " + std::to_string(i) + "\n--- ours:\n" + ours.substr(from, 300) +
         "\n--- stock:\n" + stock.substr(from, 300);
}

}  // namespace pgarc::test
