#pragma once
// Internal to the hostile-database generators (hostile_*.cpp): the shared
// helpers that fragments are written with, and one factory per fragment
// kind. Every factory draws its random choices when called (inside
// gen::exec) and returns a Fragment that renders them with unique names.
#include <optional>
#include <string>
#include <vector>

#include "tests/support/hostile_schema.hpp"

namespace pgarc::test::hostile {

std::string join(const std::vector<std::string>& parts, const std::string& sep);
// One element of `list`, drawn inside gen::exec.
std::string pick(const std::vector<std::string>& list);
// A quoted role name from roleNames().
std::string role();
// A comment on some objects only (an absent comment and an empty one are
// the same to PostgreSQL).
std::optional<std::string> maybeComment();
std::string commentOn(const std::string& target, const std::optional<std::string>& text);
// A CHECK or filter expression that holds for every generated value but
// carries a hostile literal through the server's deparser.
std::string harmlessCondition(const std::string& column, const std::string& text);
// A hostile text value as an SQL expression (sometimes NULL or long).
std::string textValue();

// hostile_tables.cpp
Fragment tableFragment();
// hostile_types.cpp
Fragment enumFragment();
Fragment domainFragment();
Fragment compositeAndRangeFragment();
Fragment collationAndTextSearchFragment();
// hostile_objects.cpp
Fragment functionFragment();
Fragment viewFragment();
Fragment sequenceFragment();
Fragment largeObjectFragment();
Fragment privilegesFragment();
Fragment foreignDataFragment();
// hostile_catalog.cpp
Fragment castFragment();
Fragment operatorClassFragment();
Fragment conversionFragment();
Fragment transformFragment();
Fragment accessMethodFragment();
// hostile_events.cpp
Fragment triggerFragment();
Fragment ruleFragment();
Fragment eventTriggerFragment();
Fragment subscriptionFragment();

}  // namespace pgarc::test::hostile
