// One table of (value, word) pairs per enum, read both ways: the word an
// enum is written as (JSON, SQLite, the report) and the value a word reads
// back as. Keeping both directions on one table means a value added to an
// enum is named in one place, and a reader cannot drift from its writer.
//
//   constexpr core::EnumName<Tense> kTenses[] = {{Tense::kPast, "past"}, ...};
//   const char* TenseName(Tense t) { return core::NameIn(kTenses, t, "unknown"); }
//   std::optional<Tense> ParseTense(std::string_view w) { return core::ValueIn(kTenses, w); }
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace telescreen::core {

template <typename E>
struct EnumName {
  E value;
  const char* name;
};

// The word of `value` in `table`; `fallback` for a value the table lacks.
template <typename E, std::size_t N>
constexpr const char* NameIn(const EnumName<E> (&table)[N], E value, const char* fallback) {
  for (const EnumName<E>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return fallback;
}

// The value whose word is `name` (compared exactly); nullopt for any other.
template <typename E, std::size_t N>
constexpr std::optional<E> ValueIn(const EnumName<E> (&table)[N], std::string_view name) {
  for (const EnumName<E>& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace telescreen::core
