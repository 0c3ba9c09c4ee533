// HTML microdata (itemscope, itemtype, itemprop, itemref, itemid), reduced
// to JSON-LD-shaped objects and mapped through schema_org.h.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "extract/page_context.h"
#include "model/dom.h"

namespace telescreen::extract {

// Top-level items as JSON-LD-shaped objects: {"@type": [itemtype...],
// "@id": itemid, "<itemprop>": value or [values]}. Nested items are
// objects; URL properties are resolved against the page.
nlohmann::json MicrodataItems(const model::Dom& dom, const Candidates& candidates, const FactSink& sink);

// Facts (via "microdata") from the page's microdata.
void ExtractMicrodata(const model::Dom& dom, const Candidates& candidates, FactSink& sink);

// A copy of `value` for an element's second, third, ... property name. The
// copy stops (leaving null) once `budget` JSON values have been copied in
// all, so an element naming several properties at every level of a deep
// nesting cannot make the result grow exponentially.
template <class Json>
Json CopyWithBudget(const Json& value, std::size_t& budget, int depth = 0) {
  if (budget == 0 || depth > 64) return Json();
  --budget;
  if (value.is_object()) {
    Json out = Json::object();
    for (auto it = value.begin(); it != value.end() && budget > 0; ++it) {
      out[it.key()] = CopyWithBudget(it.value(), budget, depth + 1);
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (auto it = value.begin(); it != value.end() && budget > 0; ++it) {
      out.push_back(CopyWithBudget(*it, budget, depth + 1));
    }
    return out;
  }
  return value;
}

inline constexpr std::size_t kCopyBudgetPerPage = 20000;  // JSON values

// Appends `value` to obj[key], turning a single value into an array.
void AddJsonValue(nlohmann::json& obj, const std::string& key, nlohmann::json value);

}  // namespace telescreen::extract
