#pragma once
// Which TOC entries pg_restore 15 restores, and in which order: the -L list
// file reordering, the per-entry requirement rules (_tocEntryRequired) and
// --strict-names checking.
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "format/archive.hpp"
#include "format/restore_options.hpp"
#include "format/result.hpp"

namespace pgarc::script {

inline constexpr unsigned kReqSchema = 1, kReqData = 2, kReqSpecial = 4;

// The TOC's runs (ArchiveToc::runs) as marked: their entries are not held,
// so each is marked again as it is made (RunEntryMarker), in its run's section.
struct RunMarks {
  std::vector<Section> sections;  // per run: the section all its entries are in
  unsigned reqsUnion = 0;         // of all runs' entries' requirement bits
  std::vector<unsigned> noParents;
};

struct Selection {
  std::vector<size_t> order;    // indices into toc.entries, in processing order
  std::vector<unsigned> reqs;   // requirement bits, indexed like toc.entries
  bool listFileUsed = false;
  std::unordered_set<int> wanted;  // dumpIds named by the list file
  // --strict-names failure; pg_restore -l reports it after the listing,
  // a script restore before printing anything.
  std::optional<Error> strictNamesError;
  RunMarks runs;
};

// Whether a TOC with runs can be selected with these options as it is: runs
// are marked only without a list file or name filters, whose marks depend
// on other entries'; otherwise the runs are expanded first.
bool runsMarkable(const RestoreOptions& options);

class Marker;
// Marks the entries of the TOC's runs as they are made again.
class RunEntryMarker {
 public:
  RunEntryMarker(const ArchiveToc& toc, const RestoreOptions& options);
  ~RunEntryMarker();
  unsigned reqs(const TocEntry& e, Section section);

 private:
  std::unique_ptr<Marker> marker_;
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
