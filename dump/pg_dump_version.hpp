#pragma once
// The stock pg_dump 15 release pgarc dump reproduces: the installed one, read
// by CMakeLists.txt at configure time (PGARC_PG_DUMP_VERSION, e.g.
// "15.18 (Debian 15.18-0+deb12u1)"). Minor releases differ in small ways.
#include <string_view>

namespace pgarc::dump {

inline constexpr std::string_view kPgDumpVersion = PGARC_PG_DUMP_VERSION;

// The behaviour changes of 15.1 .. 15.18 that pgarc matches are written
// unconditionally (pgarc writes 15.14's \restrict lines, so it follows 15.14
// or later); only the changes below are gated.

// The minor release number: 18 for "15.18 (...)".
constexpr int pgDumpMinorVersion(std::string_view v) {
  size_t dot = v.find('.');
  int minor = 0;
  for (size_t i = dot + 1; dot != std::string_view::npos && i < v.size() && v[i] >= '0' && v[i] <= '9'; i++)
    minor = minor * 10 + (v[i] - '0');
  return minor;
}
inline constexpr int kPgDumpMinor = pgDumpMinorVersion(kPgDumpVersion);

// 15.20 servers keep an internal column version in attoptions as
// "pg_attver=N"; pg_dump 15.20 leaves it out of ALTER COLUMN ... SET (...)
// (it only matters to binary upgrades). Earlier releases print attoptions whole.
inline constexpr bool kHidesAttributeVersionOption = kPgDumpMinor >= 20;

// From 15.6 pg_dump dumps only the ACLs of extension member objects, no
// longer their RLS policies and security labels (which the extension script
// cannot have made, so restoring them may fail or be wrong).
inline constexpr bool kExtensionMembersDumpOnlyAcls = kPgDumpMinor >= 6;

}  // namespace pgarc::dump
