#pragma once
// Publications (pg_dump's DO_PUBLICATION); their table and schema membership
// entries refer to them.
#include <string>

#include "dump/model.hpp"

namespace pgarc::dump {

struct PublicationInfo : DumpableObject {
  PublicationInfo() : DumpableObject(ObjectType::Publication) {}
  bool alltables = false, pubinsert = false, pubupdate = false, pubdelete = false, pubtruncate = false,
       pubviaroot = false;
};

}  // namespace pgarc::dump
