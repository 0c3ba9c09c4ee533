// FactStore: every page's facts from extraction until the merge, kept
// compact. A scan of thousands of pages holds tens of thousands of contact
// sightings whose strings repeat (the page URL in each evidence, "h-card",
// a rule's remediation); stored as plain structs they were most of a large
// scan's peak memory. Each page is encoded into one byte string with its
// own string table, deflated (zlib, level 1), and decoded again, one page at
// a time, by the merge.
//
//   FactStore store;
//   store.Add("https://a.example/", facts);          // any thread
//   store.ForEach([](const std::string& page, const model::PageFacts& f) { ... });
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "model/facts.h"

namespace telescreen::scan {

// What ForEach decodes: everything, or only the identity facts (cheaper).
enum class FactParts { kAll, kIdentity };

class FactStore {
 public:
  FactStore() = default;
  FactStore(FactStore&& other) noexcept;
  FactStore& operator=(FactStore&& other) noexcept;

  // Keeps `facts` (identity, contacts, events and warnings; links are not
  // kept) under `page`; a page added twice gets both sets. Thread-safe.
  void Add(const std::string& page, const model::PageFacts& facts);

  // Calls `visit` once per page, in ascending order of page, with all the
  // facts added for it (with kIdentity: only their identity facts). Not to
  // be called while another thread Adds.
  void ForEach(const std::function<void(const std::string& page, const model::PageFacts& facts)>& visit,
               FactParts parts = FactParts::kAll) const;

  std::size_t pages() const { return pages_.size(); }
  std::size_t bytes() const { return bytes_; }  // stored (deflated) size, all pages
  void clear();

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> pages_;  // page -> encoded records, back to back
  std::size_t bytes_ = 0;
};

}  // namespace telescreen::scan
