// ExtractPage: dispatch by content type and sniffing, then one pass over the
// Dom collecting candidates for every HTML format, so each walks only its own.
#include "extract/extractor.h"

#include <string>

#include "core/text.h"
#include "extract/activitypub.h"
#include "extract/html_parser.h"
#include "extract/ical.h"
#include "extract/json_ld.h"
#include "extract/links.h"
#include "extract/microdata.h"
#include "extract/microformats.h"
#include "extract/opengraph.h"
#include "extract/page_context.h"
#include "extract/rdfa.h"
#include "extract/vcard.h"

namespace telescreen::extract {
namespace {

constexpr std::size_t kMaxExcerptBytes = 200;  // model::Evidence::excerpt

enum class BodyKind { kHtml, kIcal, kVcard, kActivityPub, kJsonLd };

BodyKind Classify(const PageInput& input) {
  std::string_view body = input.body;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);  // UTF-8 BOM
  body = core::Trim(body.substr(0, 4096));
  const std::string type = core::MediaTypeEssence(input.content_type);
  if (type == "text/calendar" || core::StartsWithIgnoreAsciiCase(body, "BEGIN:VCALENDAR"))
    return BodyKind::kIcal;
  if (type == "text/vcard" || type == "text/x-vcard" || type == "text/directory" ||
      core::StartsWithIgnoreAsciiCase(body, "BEGIN:VCARD")) {
    return BodyKind::kVcard;
  }
  if (type == "application/activity+json") return BodyKind::kActivityPub;
  const bool json_type =
      type == "application/json" || type == "application/ld+json" || type.ends_with("+json");
  const bool html_type = type == "text/html" || type == "application/xhtml+xml";
  if (json_type || (!html_type && (body.starts_with("{") || body.starts_with("[")))) {
    if (IsActivityStreams(input.body)) return BodyKind::kActivityPub;
    return BodyKind::kJsonLd;
  }
  return BodyKind::kHtml;
}

void Append(model::PageFacts& to, model::PageFacts&& from) {
  for (auto& f : from.identity) to.identity.push_back(std::move(f));
  for (auto& c : from.contacts) to.contacts.push_back(std::move(c));
  for (auto& e : from.events) to.events.push_back(std::move(e));
  for (auto& l : from.links) to.links.push_back(std::move(l));
  for (auto& w : from.warnings) to.warnings.push_back(std::move(w));
}

}  // namespace

ExtractedPage ExtractPage(const PageInput& input, const ParseOptions& options) {
  ExtractedPage page;
  switch (Classify(input)) {
    case BodyKind::kIcal:
      Append(page.facts, ExtractIcal(input.body, input));
      return page;
    case BodyKind::kVcard:
      Append(page.facts, ExtractVcard(input.body, input));
      return page;
    case BodyKind::kActivityPub:
      page.json = true;
      Append(page.facts, ExtractActivityPub(input.body, input));
      return page;
    case BodyKind::kJsonLd: {
      page.json = true;
      FactSink sink(input, {}, page.facts);
      ExtractJsonLdDocument(core::Utf8Prefix(input.body, options.max_input_bytes), sink);
      return page;
    }
    case BodyKind::kHtml:
      break;
  }
  page.dom = ParseHtml(input.body, options);
  const model::Dom& dom = *page.dom;
  const Candidates candidates = CollectCandidates(dom);
  FactSink sink(input, candidates.base_href, page.facts);
  ExtractJsonLd(dom, candidates, sink);
  ExtractMicrodata(dom, candidates, sink);
  ExtractRdfa(dom, candidates, sink);
  ExtractMicroformats(dom, candidates, sink);
  ExtractOpenGraph(dom, candidates, sink);
  ExtractLinks(dom, candidates, sink, page.facts);
  return page;
}

model::Evidence MachineEvidence(const core::SharedString& page_url, std::string_view via,
                                std::string_view excerpt, model::Visibility visibility) {
  model::Evidence e;
  e.page_url = page_url;
  e.via = via;
  e.excerpt = core::CutUtf8(excerpt, kMaxExcerptBytes);
  e.machine_readable = true;
  e.visibility = visibility;
  return e;
}

}  // namespace telescreen::extract
