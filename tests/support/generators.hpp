#pragma once
// RapidCheck generators for the archive model, shared by property tests.
#include <rapidcheck.h>

#include <optional>
#include <string>

#include "format/archive.hpp"

namespace rc {

template <class T>
struct Arbitrary<std::optional<T>> {
  static Gen<std::optional<T>> arbitrary() {
    return gen::oneOf(gen::just(std::optional<T>{}), gen::map(gen::arbitrary<T>(), [](T v) { return std::optional<T>(std::move(v)); }));
  }
};

}  // namespace rc
