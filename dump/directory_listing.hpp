#pragma once
// The names of a directory archive's files in byte order, for its manifest,
// held compactly: a dump of millions of large objects has a file per object
// (blob_<oid>.dat...), which are held as their oids.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "format/result.hpp"

namespace pgarc::dump {

class DirectoryListing {
 public:
  // The regular files of `dir` but `skipped`.
  static Result<DirectoryListing> read(const std::string& dir, const std::string& skipped);
  // Each name, in byte order.
  Status forEach(const std::function<Status(const std::string&)>& visit) const;

 private:
  std::string blobName(uint32_t oid) const;

  std::vector<std::string> names_;  // the other files, sorted
  std::vector<uint32_t> blobOids_;  // sorted by their file names
  std::string blobSuffix_;          // what follows the oid in those names (".dat", ".dat.gz", ...)
};

}  // namespace pgarc::dump
