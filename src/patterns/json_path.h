// JsonPath: the path language of JSON rules. It picks list items and field
// values out of a JSON document: JSON Pointer steps (RFC 6901, "/a/b/0",
// "~1" for "/" and "~0" for "~" in keys) plus three additions:
//
//   *          every member of an object or element of an array
//   **         the node itself and every node below it
//   [key]      a predicate on the node a step reached, written like a CSS
//   [key=v]    attribute selector: the object has `key` (not null), or its
//   [key^=v]   value, as text, equals, starts with, ends with or contains v;
//   [key$=v]   `key` may be a relative pointer ("venue/city"); v may be
//   [key*=v]   quoted ("..." or '...') to hold ']' or spaces.
//
// A predicate value may name variables, "{name}": the caller's values
// (a JSON rule passes the named groups of its URL pattern, so
// "[publicIdentifier={slug}]" picks the profile the URL asked for). A
// variable the caller does not have makes the predicate false.
//
//   auto path = JsonPath::Parse("/**[__typename=Event][start_timestamp]");
//   if (!path.ok()) return path.error();          // "column 4: ..."
//   JsonBudget budget;
//   for (const Json* event : path.value().Select(doc, 200, &budget)) ...
//
// "" and "/" name the document itself; a path may open with predicates on
// the document itself ("[type=Event]/location/name"). Selection walks with an explicit
// stack, at most kMaxJsonPathDepth levels below the document, and charges
// every node it visits to a JsonBudget, so no document and no path can make
// it cost more than the budget.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace telescreen::patterns {

// Objects keep their members in document order: "the first X" means the
// first on the page.
using Json = nlohmann::ordered_json;

inline constexpr std::size_t kMaxJsonPathBytes = 512;  // longer paths are rejected
inline constexpr std::size_t kMaxJsonPathSteps = 32;
inline constexpr std::size_t kMaxJsonPathDepth = 64;          // levels `**` descends
inline constexpr std::size_t kDefaultJsonVisits = 2'000'000;  // nodes per page, all rules

// Variables for predicate values: name -> value.
using JsonVars = std::vector<std::pair<std::string, std::string>>;

// Nodes a page's JSON rules may still visit. Shared by all rules on a page.
struct JsonBudget {
  std::size_t visits_left = kDefaultJsonVisits;
  bool exhausted() const { return visits_left == 0; }
};

class JsonPath {
 public:
  // Parses `text`. Errors (kParse) read "column N: <what was expected>".
  static core::Result<JsonPath> Parse(std::string_view text);

  // The nodes the path reaches from `root`, in document order (a node
  // reached twice counts once), at most `limit`.
  std::vector<const Json*> Select(const Json& root, std::size_t limit, JsonBudget* budget,
                                  const JsonVars* vars = nullptr) const;
  // The first node it reaches, or nullptr.
  const Json* SelectFirst(const Json& root, JsonBudget* budget, const JsonVars* vars = nullptr) const;

  const std::string& text() const { return text_; }

  // Public for the evaluator in json_path.cc; treat as opaque.
  enum class Op { kExists, kEquals, kPrefix, kSuffix, kContains };
  struct Predicate {
    std::vector<std::string> key;  // a relative pointer: one or more member names
    Op op = Op::kExists;
    std::string value;
    bool has_variables = false;  // value holds "{name}"
  };
  enum class Kind { kSelf, kMember, kAny, kDeep };
  struct Step {
    Kind kind = Kind::kMember;
    std::string member;  // kMember: the key (or array index)
    std::vector<Predicate> predicates;
  };

 private:
  std::string text_;
  std::vector<Step> steps_;
};

// The text a scalar stands for: a string as it is, a number as JSON writes
// it, true/false; "" for null, objects and arrays.
std::string ScalarText(const Json& value);

}  // namespace telescreen::patterns
