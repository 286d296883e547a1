#include "tests/support/text_compare.hpp"

#include <algorithm>
#include <cstdlib>

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

std::string withoutCreationTime(std::string archive) {
  // "PGDMP", version major/minor/revision, int size, offset size, format;
  // then the compression (an int before 1.15, one byte after), then seven
  // ints of struct tm: each a sign byte and intSize bytes.
  if (archive.size() < 11 || archive.compare(0, 5, "PGDMP") != 0) return archive;
  const int major = static_cast<unsigned char>(archive[5]), minor = static_cast<unsigned char>(archive[6]);
  const size_t intSize = static_cast<unsigned char>(archive[8]);
  size_t pos = 11 + ((major > 1 || minor >= 15) ? 1 : 1 + intSize);
  const size_t end = pos + 7 * (1 + intSize);
  if (end > archive.size()) return archive;
  for (; pos < end; ++pos) archive[pos] = 0;
  return archive;
}

std::string withoutTarTimes(std::string archive) {
  constexpr size_t kBlock = 512;
  size_t pos = 0;
  while (pos + kBlock <= archive.size() && archive[pos] != '\0') {
    const std::string name = archive.substr(pos, archive.find('\0', pos) - pos);
    const size_t size = std::strtoull(archive.substr(pos + 124, 12).c_str(), nullptr, 8);
    std::fill_n(archive.begin() + static_cast<std::ptrdiff_t>(pos + 136), 20, '\0');  // mtime, checksum
    pos += kBlock;
    if (name == "toc.dat" && pos + size <= archive.size())
      archive.replace(pos, size, withoutCreationTime(archive.substr(pos, size)));
    pos += (size + kBlock - 1) / kBlock * kBlock;
  }
  return archive;
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

::testing::AssertionResult sameText(const std::string& ours, const std::string& stock) {
  if (ours == stock) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << firstDifference(ours, stock);
}

}  // namespace pgarc::test
