// What the readers of machine-readable bodies (vCard, iCalendar,
// ActivityPub) share: the page they read, the facts they fill, evidence that
// names their format, warnings that name the line, and per-page
// de-duplication of facts and contacts by a key each reader forms.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "core/shared_string.h"
#include "extract/extractor.h"
#include "model/facts.h"

namespace telescreen::extract {

class MachineReader {
 public:
  MachineReader(const MachineReader&) = delete;
  MachineReader& operator=(const MachineReader&) = delete;

  // Evidence on this page, found by `via`; one page-URL buffer serves all.
  model::Evidence MakeEvidence(std::string_view excerpt) const;
  // "<via>: line <line>: <message>", while the page has fewer than 40 warnings.
  void Warn(std::size_t line, const std::string& message);
  // True the first time the reader offers `key` (false for a repeat).
  bool NewFactKey(std::string key) { return fact_keys_.insert(std::move(key)).second; }
  bool NewContactKey(std::string key) { return contact_keys_.insert(std::move(key)).second; }

  std::string_view page_url() const { return page_url_.view(); }

 protected:
  // `via` names the format in evidence and warnings ("vcard"); `input`,
  // `facts` and `via` must outlive the reader.
  MachineReader(const PageInput& input, model::PageFacts* facts, const char* via);
  ~MachineReader() = default;

  const PageInput& input_;
  model::PageFacts* facts_;

 private:
  core::SharedString page_url_;  // one buffer for all the page's evidence
  const char* via_;
  std::set<std::string> fact_keys_;
  std::set<std::string> contact_keys_;
};

}  // namespace telescreen::extract
