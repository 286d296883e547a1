#include "dump/directory_listing.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "dump/objects/large_objects.hpp"

namespace pgarc::dump {

namespace {

constexpr std::string_view kBlobPrefix = "blob_";

// The oid and suffix of "blob_<oid><suffix>" (oid without leading zeros,
// suffix starting with '.').
std::optional<std::pair<uint32_t, std::string_view>> parseBlobName(std::string_view name) {
  if (name.substr(0, kBlobPrefix.size()) != kBlobPrefix) return std::nullopt;
  name.remove_prefix(kBlobPrefix.size());
  size_t digits = 0;
  uint64_t oid = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9' && digits < 10) {
    oid = oid * 10 + static_cast<uint64_t>(name[digits] - '0');
    digits++;
  }
  if (digits == 0 || (digits > 1 && name[0] == '0') || oid > UINT32_MAX) return std::nullopt;
  if (digits == name.size() || name[digits] != '.') return std::nullopt;
  return std::make_pair(static_cast<uint32_t>(oid), name.substr(digits));
}

}  // namespace

Result<DirectoryListing> DirectoryListing::read(const std::string& dir, const std::string& skipped) {
  namespace fs = std::filesystem;
  DirectoryListing out;
  std::error_code ec;
  for (const auto& de : fs::directory_iterator(dir, ec)) {
    std::string name = de.path().filename().string();
    if (name == skipped || !de.is_regular_file()) continue;
    auto blob = parseBlobName(name);
    if (blob && (out.blobOids_.empty() || blob->second == out.blobSuffix_)) {
      if (out.blobOids_.empty()) out.blobSuffix_ = blob->second;
      out.blobOids_.push_back(blob->first);
    } else {
      out.names_.push_back(std::move(name));
    }
  }
  if (ec) return Error{"could not list the archive directory: " + ec.message(), dir, {}, {}};
  std::sort(out.names_.begin(), out.names_.end());
  // The names share prefix and suffix, and the suffix starts with '.', which
  // sorts before the digits: they sort as the oids' decimal texts do, the
  // shorter first when one is a prefix of the other.
  std::sort(out.blobOids_.begin(), out.blobOids_.end(), textOrderLess);
  return out;
}

std::string DirectoryListing::blobName(uint32_t oid) const {
  return std::string(kBlobPrefix) + std::to_string(oid) + blobSuffix_;
}

Status DirectoryListing::forEach(const std::function<Status(const std::string&)>& visit) const {
  size_t n = 0, b = 0;
  while (n < names_.size() || b < blobOids_.size()) {
    if (b == blobOids_.size()) {
      PGARC_TRY(visit(names_[n++]));
      continue;
    }
    std::string blob = blobName(blobOids_[b]);
    if (n < names_.size() && names_[n] < blob) {
      PGARC_TRY(visit(names_[n++]));
      continue;
    }
    PGARC_TRY(visit(blob));
    b++;
  }
  return {};
}

}  // namespace pgarc::dump
