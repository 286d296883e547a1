#pragma once
// Which TOC entries pg_restore 15 restores, and in which order: the -L list
// file reordering, the per-entry requirement rules (_tocEntryRequired) and
// --strict-names checking.
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "format/archive.hpp"
#include "format/restore_options.hpp"
#include "format/result.hpp"

namespace pgarc::script {

inline constexpr unsigned kReqSchema = 1, kReqData = 2, kReqSpecial = 4;

struct Selection {
  std::vector<size_t> order;    // indices into toc.entries, in processing order
  std::vector<unsigned> reqs;   // requirement bits, indexed like toc.entries
  bool listFileUsed = false;
  std::unordered_set<int> wanted;  // dumpIds named by the list file
  // --strict-names failure; pg_restore -l reports it after the listing,
  // a script restore before printing anything.
  std::optional<Error> strictNamesError;
};

// Option combinations pg_restore refuses before reading anything.
Status checkOptionConflicts(const RestoreOptions& options);

// Applies -L (if given), then marks every entry in processing order.
// Fails like pg_restore for an unknown dumpId in the list file; --strict-names
// patterns that matched nothing are recorded in strictNamesError.
Result<Selection> selectEntries(const ArchiveToc& toc, const RestoreOptions& options);

// `pg_restore -l` evaluates each entry again while listing, against the marks
// made beforehand; the result can differ from `reqs` after -L reordering.
std::vector<unsigned> listingReqs(const ArchiveToc& toc, const RestoreOptions& options, const Selection& selection);

bool isAclDesc(const std::string& desc);
// The list file's dumpIds in file order, with pg_restore's tolerance rules.
std::vector<int> parseListFile(const std::string& text);

}  // namespace pgarc::script
