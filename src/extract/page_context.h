// What every HTML-side extractor shares for one page: the Dom, the
// candidate elements collected in one pass over it, URL resolution against
// the page (and <base href>), and a sink that records facts with evidence.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/text_hash.h"
#include "core/url.h"
#include "extract/extractor.h"
#include "model/dom.h"
#include "model/facts.h"

namespace telescreen::extract {

// Elements each format starts from, gathered in one walk over the Dom.
struct Candidates {
  std::vector<model::NodeId> json_ld;    // <script type="application/ld+json">
  std::vector<model::NodeId> itemscope;  // elements with itemscope (microdata)
  std::vector<model::NodeId> rdfa;       // elements with typeof, property or vocab
  std::vector<model::NodeId> mf_roots;   // class holds h-* or an mf1 root name
  std::vector<model::NodeId> meta;       // <meta property|name=... content=...>
  std::vector<model::NodeId> links;      // <a>, <area>, <link> with href
  std::string base_href;                 // first <base href>, "" if none
};

// The mf2 root type a microformats1 root class stands for ("vcard" gives
// "h-card", "hreview-aggregate" "h-review-aggregate"); "" for any other.
std::string_view Mf2TypeOfMf1Root(std::string_view mf1_class);

// One pass over `dom` in document order.
Candidates CollectCandidates(const model::Dom& dom);

// Records facts for one page. Facts are de-duplicated per (kind, value, via)
// and contacts per (url or name, relation, via).
class FactSink {
 public:
  // `input` and `facts` must outlive the sink.
  FactSink(const PageInput& input, std::string_view base_href, model::PageFacts& facts);

  // `ref` resolved against the page (and <base href>); non-http references
  // (mailto:, tel:, ...) come back trimmed but otherwise unchanged.
  std::string Resolve(std::string_view ref) const;
  // The absolute http(s) URL `ref` names, or "" if it names none.
  std::string ResolveHttp(std::string_view ref) const;

  model::Evidence MakeEvidence(std::string_view via, std::string_view excerpt) const;
  void AddIdentity(std::string_view kind, std::string_view value, std::string_view via,
                   std::string_view excerpt);
  void AddContact(model::Contact contact);
  // De-duplicated per (url or name, kind).
  void AddInteraction(model::Interaction interaction);
  void AddEvent(model::Event event);
  void Warn(std::string warning);

  const PageInput& input() const { return input_; }
  const std::string& page_url() const { return page_url_; }

 private:
  const std::string& ResolveCached(std::string_view ref) const;

  const PageInput& input_;
  model::PageFacts& facts_;
  std::string page_url_;
  core::SharedString evidence_page_url_;  // page_url_, one buffer for all its evidence
  core::Url base_;
  std::unordered_set<std::string> seen_;  // de-duplication keys
  // The same href is resolved by links, rels and mf2 alike: once is enough.
  // Searched with a string_view (no key copy per lookup).
  mutable std::unordered_map<std::string, std::string, core::TextHash, std::equal_to<>> resolved_;
};

}  // namespace telescreen::extract
