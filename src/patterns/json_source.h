// JsonSource: the JSON documents a page carries, for JSON rules to read.
// A JSON response (an API answer, an ActivityPub object) is one document.
// An HTML page carries JSON in several places, each found here:
//
//   <script type="application/json"> and other *json types, __NEXT_DATA__,
//   application/ld+json           the whole block, parsed leniently
//   <script> (JavaScript)          every JSON literal in the code:
//                                  window.__APOLLO_STATE__ = {...};
//                                  require(...).handle({...}); JSON.parse("...")
//   <code> blocks                  LinkedIn's <code id=...><!--{...}--></code>
//                                  and entity-escaped JSON
//
// Finding literals in JavaScript is a heuristic: brackets are matched in one
// pass that knows JavaScript strings and comments, and each outermost
// bracketed span is tried as JSON; a span that is not JSON (a function body)
// is searched for JSON inside it. Work is bounded per page (JsonSourceLimits).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/dom.h"
#include "patterns/json_path.h"

namespace telescreen::patterns {

struct JsonDocument {
  std::string origin;  // where it was: "body", "script#__NEXT_DATA__", "script 4", "code#pageKey"
  Json value;
};

struct JsonSourceLimits {
  std::size_t max_documents = 1024;         // per page
  std::size_t max_scanned_bytes = 8 << 20;  // script and code text looked at, per page
  int max_nesting = 128;                    // deeper documents are skipped (with a warning)
  std::size_t min_literal_bytes = 16;       // shorter literals in scripts ("[1,2]") are skipped
};

// The whole body as one document; empty (and a warning) when it is not JSON.
std::vector<JsonDocument> JsonBodyDocuments(std::string_view body, const JsonSourceLimits& limits,
                                            std::vector<std::string>* warnings);

// The JSON embedded in an HTML page, in document order. Blocks that claim to
// be JSON (a JSON script type) but do not parse give a warning; JavaScript
// that holds no JSON gives none.
std::vector<JsonDocument> EmbeddedJsonDocuments(const model::Dom& dom, const JsonSourceLimits& limits,
                                                std::vector<std::string>* warnings);

// The [begin, end) byte spans of the JSON values written as literals in
// JavaScript `code`, outermost first, in order; at most `max_spans`.
// Exposed for tests.
std::vector<std::pair<std::size_t, std::size_t>> JsonLiteralSpans(std::string_view code,
                                                                  std::size_t max_spans = 1024);

}  // namespace telescreen::patterns
