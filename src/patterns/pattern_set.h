// PatternSet: the site pattern packs (patterns/*.json, built in, plus the
// user's), compiled; applies those whose URL patterns match a page to its
// Dom, adding identity facts, contacts, events and links worth following.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"
#include "core/result.h"
#include "core/url.h"
#include "model/dom.h"
#include "model/facts.h"

namespace telescreen::patterns {

struct Pack;

struct PackInfo {
  std::string id;    // "xing"
  std::string name;  // "XING"
  std::string version;
  std::string source;   // "built-in" or the user file's path
  std::string checked;  // date the site's markup was last checked, "2026-11-26"
  std::string file;     // "patterns/xing.json" or the user file's path
};

// A problem with one pack; the other packs still load.
struct PackError {
  std::string file;              // "patterns/xing.json"
  int line = 0;                  // 0 when unknown
  std::string message;           // "rule 'contacts': unknown field 'selektor'"
  std::string ToString() const;  // "file:line: message"
};

// One page as the packs see it.
struct PageView {
  const core::Url& url;  // the page's final URL: base for links, matched by packs
  model::Visibility visibility = model::Visibility::kPublic;
  const model::Dom* dom = nullptr;  // HTML pages: the parsed page; null otherwise
  std::string_view json_body;       // JSON responses: the body; empty otherwise
};

// What a fetch showed, for telling a wall from the page.
struct WallCheck {
  std::string_view url;             // as requested
  std::string_view final_url;       // after redirects; may equal url
  int status = 0;                   // 0: no response
  const model::Dom* dom = nullptr;  // the parsed body, when it was HTML
};

struct WallVerdict {
  model::Wall wall = model::Wall::kNone;
  std::string detail;  // "login wall (redirect to /authwall)", "HTTP 999"
};

class PatternSet {
 public:
  PatternSet();
  ~PatternSet();
  PatternSet(PatternSet&&) noexcept;
  PatternSet& operator=(PatternSet&&) noexcept;

  // Loads the built-in packs, then those in `user_dir` (if non-empty and
  // present), which replace built-in packs of the same id. Broken packs are
  // skipped and reported in `errors`.
  static PatternSet Load(const std::string& user_dir, std::vector<PackError>* errors);

  // Compiles one pack from its JSON text; `file` names it in errors.
  core::Status AddPack(const std::string& json_text, const std::string& file, const std::string& source,
                       std::vector<PackError>* errors);

  std::vector<PackInfo> Packs() const;

  // Applies every pack whose URL patterns match `url` to `dom`, appending to
  // `facts` (evidence.via = "pattern:<pack>/<rule>").
  // Packs marked "fallback" (the generic homepage pack) run only when no
  // other pack with site rules matches the URL. An address a pattern read
  // in the text that is also an event's venue on this page (in `facts`,
  // the extractors' included) is dropped: it is the venue's, not the
  // person's. Thread-safe (const).
  void Apply(const model::Dom& dom, const core::Url& url, model::Visibility visibility,
             model::PageFacts* facts) const;
  // As above, for any page: HTML rules, follow rules and text rules read
  // page.dom; JSON rules read page.json_body, or else the JSON embedded in
  // page.dom (script blocks, JSON literals in scripts, <code> blocks). A
  // JSON block that does not parse is a warning in facts->warnings.
  void Apply(const PageView& page, model::PageFacts* facts) const;

  // Whether the site showed a wall instead of the page: the packs' wall
  // signals for packs matching page.url or page.final_url first, then the
  // generic ones: status 401 (login), 403, 429 and 999 (blocked); a redirect
  // to a sign-in path (/login, /signin, /authwall, /checkpoint, ...) that
  // the request did not ask for; an HTML page that is little more than a
  // form with a password field. Thread-safe (const).
  WallVerdict DetectWall(const WallCheck& page) const;

  // Applies only the pack `id`, whatever the URL (for sample tests).
  // Returns false iff there is no such pack.
  bool ApplyPack(const std::string& id, const model::Dom& dom, const core::Url& url,
                 model::Visibility visibility, model::PageFacts* facts) const;
  bool ApplyPack(const std::string& id, const PageView& page, model::PageFacts* facts) const;

  // For each remediation of every pack that has a text in `lang`: its
  // English string exactly as Evidence.remediation carries it ("text
  // (settings URL)") -> the same string in `lang`. Empty for English; a
  // remediation without `lang` is left out, so callers keep the English.
  std::map<std::string, std::string, std::less<>> RemediationTexts(core::Language lang) const;

  // The compiled pack `id`, or nullptr.
  std::shared_ptr<const Pack> Find(const std::string& id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Resource paths of the built-in packs ("patterns/xing.json", ...): the
// top-level patterns/*.json except *.schema.json.
std::vector<std::string> BuiltinPackPaths();

// The *.json files in `dir` (not *.schema.json), sorted; empty if no dir.
std::vector<std::string> UserPackPaths(const std::string& dir);

}  // namespace telescreen::patterns
