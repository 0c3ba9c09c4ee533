// vCard identity facts and contacts; see vcard.h.
//
// One parser for vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350): the content
// line syntax is shared with iCalendar (content_line.h), which also decodes
// 2.1 quoted-printable and Latin-1 charsets. The first card of a body is the
// person; a body with several cards is an address book, and the other cards
// become their contacts.
#include "extract/vcard.h"

#include <string>
#include <utility>
#include <vector>

#include "core/text.h"
#include "extract/content_line.h"
#include "extract/machine_reader.h"

namespace telescreen::extract {
namespace {

constexpr std::size_t kMaxCards = 5000;
constexpr std::size_t kMaxFactsPerCard = 200;

struct Card {
  std::vector<ContentLine> props;
  std::size_t line_number = 0;
};

// vCard values keep a CR or form feed at their ends (unfolding already took
// the line breaks); only blanks and LF are trimmed.
std::string Trimmed(std::string_view s) { return std::string(core::Trim(s, " \t\n")); }

// Lines of a multi-line part ("Street 4\nBuilding 6") become ", "-separated.
std::string OneLine(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = Trimmed(text.substr(start, end - start));
    if (!line.empty()) {
      if (!out.empty()) out += ", ";
      out += line;
    }
    start = end + 1;
  }
  return out;
}

// Non-empty parts of a structured value, joined: "Example Corp, Research".
std::string JoinParts(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    std::string t = OneLine(p);
    if (t.empty()) continue;
    if (!out.empty()) out += separator;
    out += t;
  }
  return out;
}

std::string StripScheme(std::string_view value, std::string_view scheme) {
  if (value.size() > scheme.size() && AsciiUpper(value.substr(0, scheme.size())) == AsciiUpper(scheme)) {
    value.remove_prefix(scheme.size());
  }
  return Trimmed(value);
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// BDAY as ISO 8601: "19960415" -> "1996-04-15", "--0415" -> "--04-15",
// "1953-10-15T23:10:00Z" -> "1953-10-15"; anything else as written.
std::string NormaliseBirthday(std::string_view v) {
  std::string value = Trimmed(v);
  if (const auto t = value.find('T'); t != std::string::npos && t >= 8) value.resize(t);
  if (value.size() == 8 && IsDigits(value)) {
    return value.substr(0, 4) + "-" + value.substr(4, 2) + "-" + value.substr(6, 2);
  }
  if (value.size() == 6 && value.substr(0, 2) == "--" && IsDigits(value.substr(2))) {
    return "--" + value.substr(2, 2) + "-" + value.substr(4, 2);
  }
  return value;
}

// The person's name from N (family;given;additional;prefix;suffix).
std::string NameFromN(std::string_view value) {
  std::vector<std::string> parts = SplitEscaped(value, ';');
  parts.resize(5);
  return JoinParts({parts[3], parts[1], parts[2], parts[0], parts[4]}, " ");
}

bool LooksLikeUrl(std::string_view v) {
  const std::string u = AsciiUpper(v.substr(0, 8));
  return u.rfind("HTTP://", 0) == 0 || u.rfind("HTTPS://", 0) == 0;
}

class CardReader : public MachineReader {
 public:
  CardReader(const PageInput& input, model::PageFacts* facts) : MachineReader(input, facts, "vcard") {}

  // Identity facts of the person's own card.
  void ReadIdentity(const Card& card) {
    bool has_fn = false;
    for (const auto& p : card.props) has_fn = has_fn || (p.name == "FN" && !Trimmed(p.value).empty());
    std::size_t before = facts_->identity.size();
    for (const ContentLine& p : card.props) {
      if (facts_->identity.size() - before >= kMaxFactsPerCard) break;
      const std::string& n = p.name;
      if (n == "FN") {
        Add("name", UnescapeText(p.value), p);
      } else if (n == "N" && !has_fn) {
        Add("name", NameFromN(p.value), p);
      } else if (n == "NICKNAME") {
        for (const auto& nick : SplitEscaped(p.value, ',')) Add("name", nick, p);
      } else if (n == "ORG") {
        Add("employer", JoinParts(SplitEscaped(p.value, ';'), ", "), p);
      } else if (n == "TITLE" || n == "ROLE") {
        Add("headline", UnescapeText(p.value), p);
      } else if (n == "EMAIL") {
        Add("email", StripScheme(UnescapeText(p.value), "mailto:"), p);
      } else if (n == "TEL") {
        Add("phone", StripScheme(UnescapeText(p.value), "tel:"), p);
      } else if (n == "ADR") {
        Add("address", JoinParts(SplitEscaped(p.value, ';'), ", "), p);
      } else if (n == "URL") {
        Add("url", UnescapeText(p.value), p);
      } else if (n == "X-SOCIALPROFILE" || n == "IMPP") {
        Add("profile", UnescapeText(p.value), p);
      } else if (n == "BDAY") {
        Add("birthday", NormaliseBirthday(UnescapeText(p.value)), p);
      } else if (n == "PHOTO" && LooksLikeUrl(p.value)) {
        Add("photo", p.value, p);
      }
    }
    if (facts_->identity.size() == before) {
      Warn(card.line_number, "vCard without any identity property");
    }
  }

  // One contact from a further card of an address book.
  void ReadContact(const Card& card) {
    model::Contact contact;
    contact.relation = "contact";
    std::string n_name;
    std::string email;
    for (const ContentLine& p : card.props) {
      if (p.name == "FN" && contact.name.empty()) contact.name = Trimmed(UnescapeText(p.value));
      if (p.name == "N" && n_name.empty()) n_name = NameFromN(p.value);
      if (p.name == "URL" && contact.url.empty()) contact.url = Trimmed(UnescapeText(p.value));
      if (p.name == "EMAIL" && email.empty()) email = StripScheme(UnescapeText(p.value), "mailto:");
    }
    if (contact.name.empty()) contact.name = n_name;
    if (contact.url.empty() && !email.empty()) contact.url = "mailto:" + email;
    if (contact.name.empty()) contact.name = email;
    if (contact.name.empty() && contact.url.empty()) {
      Warn(card.line_number, "vCard without a name, URL or email; skipped");
      return;
    }
    if (!NewContactKey(contact.name + "\n" + contact.url)) return;
    contact.evidence.push_back(
        MakeEvidence("FN:" + contact.name + (contact.url.empty() ? "" : " " + contact.url)));
    facts_->contacts.push_back(std::move(contact));
  }

 private:
  void Add(const std::string& kind, const std::string& raw, const ContentLine& line) {
    std::string value = Trimmed(raw);
    if (value.empty()) return;
    if (!NewFactKey(kind + "\n" + value)) return;
    model::IdentityFact fact;
    fact.kind = kind;
    fact.value = CutUtf8(value, 1000);
    fact.evidence = MakeEvidence(line.name + ":" + value);
    facts_->identity.push_back(std::move(fact));
  }
};

}  // namespace

model::PageFacts ExtractVcard(std::string_view text, const PageInput& input) {
  model::PageFacts facts;
  ContentLines lines = ParseContentLines(text);
  std::vector<Card> cards;
  int depth = 0;  // vCard 2.1 AGENT may nest a card: its lines are skipped
  bool capped = false;
  for (ContentLine& line : lines.lines) {
    if (line.name == "BEGIN" && AsciiUpper(line.value) == "VCARD") {
      if (depth++ == 0) {
        if (cards.size() >= kMaxCards) {
          capped = true;
          break;
        }
        cards.push_back(Card{{}, line.line_number});
      }
    } else if (line.name == "END" && AsciiUpper(line.value) == "VCARD") {
      if (depth > 0) --depth;
    } else if (depth == 1 && cards.back().props.size() < 10000) {
      cards.back().props.push_back(std::move(line));
    }
  }
  if (cards.empty()) {
    facts.warnings.push_back("vcard: no BEGIN:VCARD found; not a vCard body");
    return facts;
  }
  for (auto& w : lines.warnings) facts.warnings.push_back("vcard: " + w);
  CardReader reader(input, &facts);
  if (depth > 0) reader.Warn(cards.back().line_number, "BEGIN:VCARD never ended");
  if (capped) reader.Warn(0, "more than " + std::to_string(kMaxCards) + " cards; the rest ignored");
  reader.ReadIdentity(cards.front());
  for (std::size_t i = 1; i < cards.size(); ++i) reader.ReadContact(cards[i]);
  return facts;
}

}  // namespace telescreen::extract
