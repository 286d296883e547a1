#pragma once
// --restore-check: restore the archive with real pg_restore into a scratch
// database and compare what arrived with the archive (or its manifest).
#include <optional>
#include <string>

#include "format/result.hpp"
#include "verify/report.hpp"

namespace pgarc {

struct Manifest;

struct RestoreCheckOptions {
  // Server to use; when host is empty and port empty, verify starts a
  // throwaway local server (initdb in a temp dir) and stops it afterwards.
  std::string host;
  std::string port;
  std::string user;
  std::string maintenanceDb = "postgres";   // where CREATE/DROP DATABASE run
  std::string pgBinDir;                     // empty: PATH, then /usr/lib/postgresql/15/bin
  bool compareChecksums = true;             // COPY TO STDOUT of each table vs the archive's rows
};

// Problems (row count or checksum mismatches, restore failure) go to the
// report; an Error means the check could not run (no pg_restore, no server).
Status runRestoreCheck(const std::string& archivePath, const RestoreCheckOptions& options, const Manifest* manifest,
                       Report& report);

}  // namespace pgarc
