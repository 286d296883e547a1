#pragma once
// The state of a streaming COPY text check, and a vectorised scanner that
// advances it over a piece of payload in which nothing is wrong. The scanner
// reports nothing: when it meets anything that would be a problem, or that it
// does not handle (the \. marker, a raw carriage return, a NUL, broken UTF-8,
// a row with the wrong field count), it gives up and the caller runs the
// byte-at-a-time checker over the same piece from the same state, which finds
// and words the problems. Results are therefore those of the scalar checker.
#include <cstddef>
#include <cstdint>
#include <optional>

namespace pgarc {

enum class CopyScanPhase { LineStart, Field, Escape, NullMarker, MarkerEnd, Trailer, Broken };

// UTF-8 decoder state between pieces: continuation bytes still expected and
// the allowed range of the next one.
struct Utf8Progress {
  int need = 0;
  uint8_t lo = 0x80, hi = 0xBF;
};

struct CopyScanState {
  CopyScanPhase phase = CopyScanPhase::LineStart;
  bool escapeAtFieldStart = false;
  bool escapeAtLineStart = false;
  bool lineEmpty = true;
  bool fieldStart = true;
  bool markerSeen = false;
  bool nulSeen = false;   // reported already
  size_t fields = 1;
  uint64_t rowStart = 0;
  uint64_t rows = 0;
  uint64_t offset = 0;    // payload bytes consumed
  uint64_t rowBytes = 0;  // payload bytes that belong to finished rows
  Utf8Progress utf8;
};

// True when this machine runs the vectorised scanner (x86-64 with AVX2).
bool copyScanVectorised();

// Advances `state` over p[0, n) if the piece holds only well-formed rows
// (and valid UTF-8 when utf8). Returns false, leaving `state` in an
// unspecified condition, when the piece needs the scalar checker.
bool scanCopyTextFast(CopyScanState& state, std::optional<size_t> columns, bool utf8, const uint8_t* p, size_t n);

// UTF-8 alone, same contract: advances `state` over valid UTF-8 and returns
// false at anything invalid. Exposed for tests.
bool scanUtf8Fast(Utf8Progress& state, const uint8_t* p, size_t n);

}  // namespace pgarc
