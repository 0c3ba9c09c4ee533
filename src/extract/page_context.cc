#include "extract/page_context.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "core/text.h"
#include "extract/html_parser.h"
#include "model/scan_result.h"

namespace telescreen::extract {
namespace {

// Trims `s` in place (no copy when there is nothing to trim).
void TrimInPlace(std::string& s) {
  std::string_view t = core::Trim(s);
  if (t.size() == s.size()) return;
  const std::size_t from = static_cast<std::size_t>(t.data() - s.data());
  s.erase(from + t.size());
  s.erase(0, from);
}

void TrimInPlace(core::SharedString& s) {
  std::string_view t = core::Trim(s);
  if (t.size() != s.size()) s = core::SharedString(t);
}

// A de-duplication key: `tag`, then each part after a 0x1f separator.
std::string Key(char tag, std::initializer_list<std::string_view> parts) {
  std::size_t n = 1;
  for (std::string_view p : parts) n += p.size() + 1;
  std::string key;
  key.reserve(n);
  key += tag;
  for (std::string_view p : parts) {
    key += '\x1f';
    key += p;
  }
  return key;
}

bool IsMfRootClass(std::string_view cls) {
  if (cls.size() > 2 && cls[0] == 'h' && cls[1] == '-') return true;
  return !Mf2TypeOfMf1Root(cls).empty();
}

bool HasMfRootClass(std::string_view classes) {
  for (std::string_view cls : core::Tokens(classes)) {
    if (IsMfRootClass(cls)) return true;
  }
  return false;
}

}  // namespace

std::string_view Mf2TypeOfMf1Root(std::string_view mf1_class) {
  static constexpr std::pair<std::string_view, std::string_view> kMf1Roots[] = {
      {"vcard", "h-card"},     {"vevent", "h-event"},   {"hentry", "h-entry"},
      {"hfeed", "h-feed"},     {"adr", "h-adr"},        {"geo", "h-geo"},
      {"hreview", "h-review"}, {"hresume", "h-resume"}, {"hproduct", "h-product"},
      {"hrecipe", "h-recipe"}, {"hnews", "h-news"},     {"hreview-aggregate", "h-review-aggregate"},
  };
  for (const auto& [mf1, mf2] : kMf1Roots) {
    if (mf1 == mf1_class) return mf2;
  }
  return {};
}

Candidates CollectCandidates(const model::Dom& dom) {
  Candidates c;
  const std::size_t n = dom.size();
  for (std::size_t i = 1; i < n; ++i) {
    const auto id = static_cast<model::NodeId>(i);
    const model::DomNode& node = dom.node(id);
    if (node.kind != model::NodeKind::kElement) continue;
    bool has_href = false, has_rdfa = false, has_itemscope = false;
    for (const auto& [name, value] : node.attributes) {
      if (name == "class") {
        if (HasMfRootClass(value)) c.mf_roots.push_back(id);
      } else if (name == "itemscope") {
        has_itemscope = true;
      } else if (name == "typeof" || name == "property" || name == "vocab") {
        has_rdfa = true;
      } else if (name == "href") {
        has_href = true;
      }
    }
    if (has_itemscope) c.itemscope.push_back(id);
    if (has_rdfa) c.rdfa.push_back(id);
    const std::string& tag = node.tag;
    if (tag == "a" || tag == "area" || tag == "link") {
      if (has_href) c.links.push_back(id);
    } else if (tag == "meta") {
      c.meta.push_back(id);
    } else if (tag == "script") {
      const std::string* type = dom.Attr(id, "type");
      if (type && core::MediaTypeEssence(*type) == "application/ld+json") {
        c.json_ld.push_back(id);
      }
    } else if (tag == "base" && c.base_href.empty()) {
      if (const std::string* href = dom.Attr(id, "href")) c.base_href = *href;
    }
  }
  return c;
}

FactSink::FactSink(const PageInput& input, std::string_view base_href, model::PageFacts& facts)
    : input_(input),
      facts_(facts),
      page_url_(input.url.ToString()),
      evidence_page_url_(page_url_),
      base_(input.url) {
  if (!core::Trim(base_href).empty()) {
    auto resolved = input.url.Resolve(core::Trim(base_href));
    if (resolved.ok()) base_ = std::move(resolved).value();
  }
}

// Resolved form of `ref`, or "" when it is no http(s) URL. Cached per page.
const std::string& FactSink::ResolveCached(std::string_view ref) const {
  auto it = resolved_.find(ref);
  if (it != resolved_.end()) return it->second;
  auto resolved = base_.Resolve(ref);
  std::string value = resolved.ok() ? resolved.value().ToString() : std::string();
  if (resolved_.size() > 50000) resolved_.clear();  // bound memory on link farms
  return resolved_.emplace(std::string(ref), std::move(value)).first->second;
}

std::string FactSink::Resolve(std::string_view ref) const {
  ref = core::Trim(ref);
  if (ref.empty()) return page_url_.empty() ? std::string() : base_.ToString();
  const std::string& resolved = ResolveCached(ref);
  return resolved.empty() ? std::string(ref) : resolved;
}

std::string FactSink::ResolveHttp(std::string_view ref) const {
  ref = core::Trim(ref);
  if (ref.empty()) return {};
  return ResolveCached(ref);
}

model::Evidence FactSink::MakeEvidence(std::string_view via, std::string_view excerpt) const {
  return MachineEvidence(evidence_page_url_, via, core::Trim(excerpt), input_.visibility);
}

void FactSink::AddIdentity(std::string_view kind, std::string_view value, std::string_view via,
                           std::string_view excerpt) {
  value = core::Trim(value);
  if (value.empty()) return;
  if (!seen_.insert(Key('i', {kind, value, via})).second) return;
  facts_.identity.push_back(
      model::IdentityFact{std::string(kind), std::string(value), MakeEvidence(via, excerpt)});
}

void FactSink::AddContact(model::Contact contact) {
  TrimInPlace(contact.name);
  if (contact.name.empty() && contact.url.empty()) return;
  const std::string_view via = contact.evidence.empty() ? std::string_view() : contact.evidence[0].via.view();
  const std::string by_name = contact.url.empty() ? "n:" + contact.name : std::string();
  const std::string_view who = contact.url.empty() ? std::string_view(by_name) : contact.url;
  if (!seen_.insert(Key('c', {who, contact.relation, via})).second) return;
  facts_.contacts.push_back(std::move(contact));
}

void FactSink::AddInteraction(model::Interaction interaction) {
  TrimInPlace(interaction.name);
  if (interaction.name.empty() && interaction.url.empty()) return;
  const std::string who = interaction.url.empty() ? "n:" + interaction.name : interaction.url;
  if (!seen_.insert(Key('r', {who, model::InteractionKindName(interaction.kind)})).second) return;
  facts_.interactions.push_back(std::move(interaction));
}

void FactSink::AddEvent(model::Event event) {
  TrimInPlace(event.name);
  if (event.name.empty() && event.start.empty()) return;
  const std::string_view via = event.evidence.empty() ? std::string_view() : event.evidence[0].via.view();
  if (!seen_.insert(Key('e', {event.name, event.start, event.location, event.url, event.role, via})).second) {
    return;
  }
  facts_.events.push_back(std::move(event));
}

void FactSink::Warn(std::string warning) {
  if (facts_.warnings.size() < 100) facts_.warnings.push_back(std::move(warning));
}

}  // namespace telescreen::extract
