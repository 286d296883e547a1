#include "verify/payload_checker.hpp"

#include <array>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace pgarc {
namespace {

std::string describeByte(uint8_t c) {
  if (c >= 0x21 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[c >> 4] + kHex[c & 15];
}

// Bytes that end the fast scan inside a COPY field.
constexpr std::array<bool, 256> makeSpecial() {
  std::array<bool, 256> t{};
  t['\t'] = t['\n'] = t['\\'] = t['\r'] = true;
  return t;
}
constexpr std::array<bool, 256> kSpecial = makeSpecial();

// True if any of the 8 bytes in w is '\t', '\n', '\\' or '\r' (exact: the
// zero-byte test below has no false negatives and no false positives for
// the question "is some byte zero").
inline bool hasSpecialByte(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto hasZero = [](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  return hasZero(w ^ (kOnes * '\t')) || hasZero(w ^ (kOnes * '\n')) || hasZero(w ^ (kOnes * '\\')) ||
         hasZero(w ^ (kOnes * '\r'));
}

// Index of the first tab, newline, backslash or carriage return in p[i, n),
// or n: sixteen bytes per step, landing on the byte itself.
inline size_t nextSpecial(const uint8_t* p, size_t i, size_t n) {
#ifdef __SSE2__
  const __m128i tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n'), bs = _mm_set1_epi8('\\'),
                cr = _mm_set1_epi8('\r');
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, nl)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(v, cr)));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask) return i + static_cast<size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (hasSpecialByte(w)) break;
    i += 8;
  }
  while (i < n && !kSpecial[p[i]]) i++;
  return i;
}

// Index of the first byte >= 0x80 in p[i, n), or a point before it at most
// seven bytes short (the caller's byte loop finishes).
inline size_t nextNonAscii(const uint8_t* p, size_t i, size_t n) {
#ifdef __SSE2__
  while (i + 16 <= n) {
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
    if (mask) return i + static_cast<size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  (void)p;
  (void)n;
  return i;
}

// Skips an identifier (quoted with "" escapes, or bare) starting at s[i].
bool skipIdentifier(std::string_view s, size_t& i) {
  if (i >= s.size()) return false;
  if (s[i] == '"') {
    for (i++; i < s.size(); i++) {
      if (s[i] == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          i++;
          continue;
        }
        i++;
        return true;
      }
    }
    return false;
  }
  size_t start = i;
  while (i < s.size() && s[i] != '.' && s[i] != ' ' && s[i] != '(' && s[i] != ')' && s[i] != ',' && s[i] != '"') i++;
  return i > start;
}

void skipSpaces(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')) i++;
}

}  // namespace

TextEncoding encodingOfToc(const std::vector<TocEntry>& entries) {
  for (const auto& e : entries) {
    if (e.desc != "ENCODING" || !e.defn) continue;
    auto q = e.defn->find('\'');
    if (q == std::string::npos) return TextEncoding::Unknown;
    auto q2 = e.defn->find('\'', q + 1);
    if (q2 == std::string::npos) return TextEncoding::Unknown;
    std::string name = e.defn->substr(q + 1, q2 - q - 1);
    for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name == "UTF8" || name == "UTF-8" || name == "UNICODE") return TextEncoding::Utf8;
    return TextEncoding::Other;
  }
  return TextEncoding::Unknown;
}

std::optional<size_t> copyColumnCount(std::string_view stmt) {
  size_t i = 0;
  if (stmt.substr(0, 5) != "COPY ") return std::nullopt;
  i = 5;
  skipSpaces(stmt, i);
  if (!skipIdentifier(stmt, i)) return std::nullopt;
  if (i < stmt.size() && stmt[i] == '.') {
    i++;
    if (!skipIdentifier(stmt, i)) return std::nullopt;
  }
  skipSpaces(stmt, i);
  size_t columns = 0;
  if (i < stmt.size() && stmt[i] == '(') {
    i++;
    for (;;) {
      skipSpaces(stmt, i);
      if (!skipIdentifier(stmt, i)) return std::nullopt;
      columns++;
      skipSpaces(stmt, i);
      if (i < stmt.size() && stmt[i] == ',') {
        i++;
        continue;
      }
      if (i < stmt.size() && stmt[i] == ')') {
        i++;
        break;
      }
      return std::nullopt;
    }
    skipSpaces(stmt, i);
  }
  if (stmt.substr(i, 10) != "FROM stdin") return std::nullopt;
  return columns;
}

CopyTextChecker::CopyTextChecker(std::optional<size_t> columns, bool utf8, FaultFn fault, Scan scan)
    : fault_(std::move(fault)), columns_(columns), utf8_(utf8), fast_(scan == Scan::Fast && copyScanVectorised()) {}

void CopyTextChecker::endRow() {
  if (columns_) {
    size_t n = (s_.lineEmpty && *columns_ == 0) ? 0 : s_.fields;
    if (n != *columns_) {
      fault_("row " + std::to_string(s_.rows + 1) + " has " + std::to_string(n) + " fields, expected " +
                 std::to_string(*columns_) + " (COPY column list)",
             s_.rowStart);
    }
  }
  s_.rows++;
  s_.fields = 1;
  s_.lineEmpty = true;
  s_.fieldStart = true;
  s_.phase = CopyScanPhase::LineStart;
  s_.rowStart = s_.offset + 1;
  s_.rowBytes = s_.rowStart;
}

void CopyTextChecker::checkUtf8(std::string_view data) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  size_t i = 0;
  while (i < n) {
    if (s_.utf8.need == 0) {
      // ASCII fast path: straight to the first byte with the high bit set.
      i = nextNonAscii(p, i, n);
      while (i + 8 <= n) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL) break;
        i += 8;
      }
      if (i >= n) break;
      uint8_t c = p[i];
      if (c < 0x80) {
        i++;
        continue;
      }
      s_.utf8.lo = 0x80;
      s_.utf8.hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        s_.utf8.need = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        s_.utf8.need = 2;
        if (c == 0xE0) s_.utf8.lo = 0xA0;
        if (c == 0xED) s_.utf8.hi = 0x9F;
      } else if (c >= 0xF0 && c <= 0xF4) {
        s_.utf8.need = 3;
        if (c == 0xF0) s_.utf8.lo = 0x90;
        if (c == 0xF4) s_.utf8.hi = 0x8F;
      } else {
        fault_("invalid UTF8 byte " + describeByte(c), s_.offset + i);
      }
      i++;
      continue;
    }
    uint8_t c = p[i];
    if (c < s_.utf8.lo || c > s_.utf8.hi) {
      fault_("invalid UTF8 sequence: byte " + describeByte(c) + " where a continuation byte was expected",
             s_.offset + i);
      s_.utf8.need = 0;
      continue;  // re-examine c as a lead byte
    }
    s_.utf8.lo = 0x80;
    s_.utf8.hi = 0xBF;
    s_.utf8.need--;
    i++;
  }
}

void CopyTextChecker::feed(std::string_view data) {
  if (fast_) {
    CopyScanState next = s_;
    if (scanCopyTextFast(next, columns_, utf8_, reinterpret_cast<const uint8_t*>(data.data()), data.size())) {
      s_ = next;
      fastPieces_++;
      return;
    }
  }
  feedScalar(data);
}

void CopyTextChecker::feedScalar(std::string_view data) {
  if (utf8_) checkUtf8(data);
  // The first NUL of the payload only: how many more there are tells nothing
  // new, and a count per piece would depend on how the stream was cut.
  if (!s_.nulSeen) {
    if (const void* z = std::memchr(data.data(), '\0', data.size())) {
      fault_("NUL byte in COPY data", s_.offset + static_cast<uint64_t>(static_cast<const char*>(z) - data.data()));
      s_.nulSeen = true;
    }
  }
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  const size_t n = data.size();
  const uint64_t base = s_.offset;
  for (size_t i = 0; i < n; i++) {
    s_.offset = base + i;
    uint8_t c = p[i];
    switch (s_.phase) {
      case CopyScanPhase::LineStart:
        if (c == '\n') {
          endRow();
          continue;
        }
        s_.lineEmpty = false;
        if (c == '\\') {
          s_.phase = CopyScanPhase::Escape;
          s_.escapeAtLineStart = true;
          s_.escapeAtFieldStart = true;
          s_.fieldStart = false;  // a \N later in this field is mid-field
          continue;
        }
        s_.phase = CopyScanPhase::Field;
        [[fallthrough]];
      case CopyScanPhase::Field:
        // Fast path over ordinary bytes: jump to the next tab, newline,
        // backslash or carriage return.
        if (!kSpecial[c]) {
          s_.fieldStart = false;
          i = nextSpecial(p, i + 1, n);
          if (i == n) break;
          c = p[i];
        }
        s_.offset = base + i;
        if (c == '\t') {
          s_.fields++;
          s_.fieldStart = true;
        } else if (c == '\n') {
          endRow();
        } else if (c == '\\') {
          s_.phase = CopyScanPhase::Escape;
          s_.escapeAtLineStart = false;
          s_.escapeAtFieldStart = s_.fieldStart;
          s_.fieldStart = false;
        } else {  // '\r'
          fault_("raw carriage return in COPY data (expected \\r)", s_.offset);
          s_.fieldStart = false;
        }
        continue;
      case CopyScanPhase::Escape:
        s_.phase = CopyScanPhase::Field;
        switch (c) {
          case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
            break;
          case 'N':
            if (s_.escapeAtFieldStart) {
              s_.phase = CopyScanPhase::NullMarker;
            } else {
              fault_("\\N in the middle of a field", s_.offset - 1);
            }
            break;
          case '.':
            if (s_.escapeAtLineStart) {
              s_.phase = CopyScanPhase::MarkerEnd;
              s_.markerSeen = true;
            } else {
              fault_("end-of-data marker \\. in the middle of a row", s_.offset - 1);
            }
            break;
          case '\n':
            fault_("backslash at the end of a line", s_.offset - 1);
            endRow();
            break;
          default:
            fault_("invalid escape \\" + std::string(c >= 0x21 && c < 0x7F ? std::string(1, static_cast<char>(c))
                                                                          : describeByte(c)),
                   s_.offset - 1);
        }
        s_.escapeAtLineStart = false;
        continue;
      case CopyScanPhase::NullMarker:
        s_.phase = CopyScanPhase::Field;
        if (c == '\t') {
          s_.fields++;
          s_.fieldStart = true;
        } else if (c == '\n') {
          endRow();
        } else {
          fault_("\\N followed by more data in the same field", s_.offset - 2);
          i--;  // re-read as field data
        }
        continue;
      case CopyScanPhase::MarkerEnd:
        if (c == '\n') {
          s_.phase = CopyScanPhase::Trailer;
        } else {
          fault_("end-of-data marker \\. followed by " + describeByte(c) + " instead of a newline", s_.offset);
          s_.phase = CopyScanPhase::Broken;
        }
        continue;
      case CopyScanPhase::Trailer:
        if (c != '\n') {
          fault_("data after the end-of-data marker \\.: byte " + describeByte(c), s_.offset);
          s_.phase = CopyScanPhase::Broken;
        }
        continue;
      case CopyScanPhase::Broken:
        i = n;
        break;
    }
  }
  s_.offset = base + n;
}

void CopyTextChecker::finish() {
  if (utf8_ && s_.utf8.need > 0) fault_("payload ends inside a UTF8 sequence", s_.offset);
  switch (s_.phase) {
    case CopyScanPhase::Trailer:
    case CopyScanPhase::Broken:
      return;
    case CopyScanPhase::MarkerEnd:
      fault_("end-of-data marker \\. not followed by a newline", s_.offset);
      return;
    case CopyScanPhase::LineStart:
      break;
    default:
      fault_("payload ends inside row " + std::to_string(s_.rows + 1) + " (no newline)", s_.offset);
  }
  fault_("COPY data ends without the end-of-data marker \\.", s_.offset);
}

PayloadChecker::PayloadChecker(const TocEntry& entry, const PayloadOptions& options, Report& report, std::string file)
    : entry_(entry), report_(report), file_(std::move(file)) {
  if (entry.desc == "TABLE DATA" && entry.copyStmt) {
    kind_ = Kind::Copy;
    auto columns = copyColumnCount(*entry.copyStmt);
    if (!columns) report_.addForEntry(entry_, file_, "could not parse the COPY statement: " + *entry.copyStmt, {});
    copy_.emplace(columns, options.encoding == TextEncoding::Utf8, [this](std::string what, uint64_t offset) {
      if (deferred_) {
        held_.emplace_back(std::move(what), offset);
      } else {
        report_.addForEntry(entry_, file_, std::move(what), offset, OffsetKind::Payload);
      }
    });
  } else if (entry.desc == "TABLE DATA") {
    kind_ = Kind::Insert;
  } else {
    kind_ = Kind::Other;
  }
  if (options.checksum != ChecksumAlgorithm::None) checksum_.emplace(options.checksum);
}

Status PayloadChecker::write(std::string_view data) {
  if (data.empty()) return {};
  if (copy_) {
    copy_->feed(data);
    if (checksum_) checksumCopy(data);
  } else if (checksum_) {
    checksum_->update(data);
  }
  if (kind_ == Kind::Insert) {
    tail_.append(data.size() >= 2 ? data.substr(data.size() - 2) : data);
    if (tail_.size() > 2) tail_.erase(0, tail_.size() - 2);
    if (data.find_first_not_of('\n') != std::string_view::npos) {
      size_t last = data.find_last_not_of('\n');
      lastNonNewline_ = data[last];
    }
  }
  bytes_ += data.size();
  return {};
}

// One pass gives both checksums of COPY data: the payload is summed in
// order, and the state at the end of the rows (the line holding \. is not a
// row) is kept as the rows checksum. A line that starts with a backslash is
// held back until it is known not to be the marker; every other line is
// summed as it arrives.
void PayloadChecker::checksumCopy(std::string_view data) {
  if (rowsDone_) {
    checksum_->update(data);
    return;
  }
  const uint64_t rowEnd = copy_->rowBytes();
  std::string joined;
  std::string_view s = data;
  uint64_t sStart = bytes_;
  if (!pending_.empty()) {
    joined = pending_;
    joined.append(data);
    s = joined;
    sStart = bytes_ - pending_.size();
  }
  pending_.clear();
  if (copy_->markerSeen()) {
    const size_t rows = rowEnd > sStart ? static_cast<size_t>(rowEnd - sStart) : 0;
    checksum_->update(s.substr(0, rows));
    rowsChecksum_ = *checksum_;
    checksum_->update(s.substr(rows));
    rowsDone_ = true;
    return;
  }
  const uint64_t lineStart = std::max(rowEnd, sStart);
  checksum_->update(s.substr(0, lineStart - sStart));
  std::string_view partial = s.substr(lineStart - sStart);
  bool maybeMarker = lineStart == rowEnd && !partial.empty() && partial[0] == '\\' &&
                     (partial.size() == 1 || partial[1] == '.');
  if (maybeMarker) {
    pending_ = std::string(partial);
  } else {
    checksum_->update(partial);
  }
}

void PayloadChecker::addDeferred() {
  // Taken out first: adding to the report may come back here (its
  // before-add hook settles the pipeline), which must find nothing left.
  auto held = std::move(held_);
  held_.clear();
  for (auto& [what, offset] : held) report_.addForEntry(entry_, file_, std::move(what), offset, OffsetKind::Payload);
}

EntryOutcome PayloadChecker::finish(bool streamClean) {
  EntryOutcome o;
  o.dumpId = entry_.dumpId;
  o.dataFound = true;
  o.complete = streamClean;
  o.payloadBytes = bytes_;
  if (streamClean) {
    if (copy_) copy_->finish();
    if (kind_ == Kind::Insert && lastNonNewline_ != 0 && (lastNonNewline_ != ';' || tail_.empty() || tail_.back() != '\n')) {
      report_.addForEntry(entry_, file_, "INSERT data does not end with \";\\n\"", bytes_, OffsetKind::Payload);
    }
  }
  if (copy_) {
    o.rows = copy_->rows();
    o.rowsKnown = true;
    if (checksum_ && !rowsDone_) {
      rowsChecksum_ = *checksum_;  // the rows read so far; a held-back line is not one
      checksum_->update(pending_);
      pending_.clear();
    }
  }
  if (checksum_) o.checksum = checksum_->hexDigest();
  if (rowsChecksum_ && (rowsDone_ || !streamClean)) o.rowsChecksum = rowsChecksum_->hexDigest();
  return o;
}

BlobChecker::BlobChecker(uint32_t oid, int dumpId, ChecksumAlgorithm checksum) {
  outcome_.oid = oid;
  outcome_.dumpId = dumpId;
  if (checksum != ChecksumAlgorithm::None) checksum_.emplace(checksum);
}

Status BlobChecker::write(std::string_view data) {
  if (checksum_) checksum_->update(data);
  outcome_.bytes += data.size();
  return {};
}

BlobOutcome BlobChecker::finish(bool streamClean) {
  outcome_.complete = streamClean;
  if (checksum_) outcome_.checksum = checksum_->hexDigest();
  return outcome_;
}

}  // namespace pgarc
