#pragma once
// Custom-format data block constants shared by the reader and the writer
// (shared/docs/archive-format.md section 5.2).
#include <cstdint>

namespace pgarc::custom {

inline constexpr uint8_t kBlockData = 1;   // TABLE DATA and other non-LO data
inline constexpr uint8_t kBlockBlobs = 3;  // a BLOBS entry's large objects

// pg_dump writes chunk lengths as a C int; anything larger is corruption.
inline constexpr int64_t kMaxChunkLength = 0x7fffffff;
// Reads of chunk payloads go through a buffer of this size (compressed data).
inline constexpr size_t kReadSlice = 64 * 1024;

}  // namespace pgarc::custom
