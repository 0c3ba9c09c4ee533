// Extractor: turns a fetched body into a Dom and the facts it shows about the
// person (identity, contacts, events) from structured data: JSON-LD,
// microformats2 (h-card, h-event, rel=me, XFN), OpenGraph; plus its links.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "core/url.h"
#include "model/dom.h"
#include "model/facts.h"

namespace telescreen::extract {

struct ParseOptions {
  std::size_t max_input_bytes = std::size_t{4} << 20;  // longer input is cut first
  int max_depth = 400;                                 // deeper nesting is flattened before gumbo
  unsigned max_errors = 1000;                          // gumbo stops recording errors beyond this
};

// Parses HTML (UTF-8) into a Dom. Input that would make gumbo go quadratic
// (deep unclosed nesting) is cut down first. Never fails on bad HTML.
model::Dom ParseHtml(std::string_view html, const ParseOptions& options = {});

struct PageInput {
  core::Url url;                  // the page's final URL: the base for relative links
  std::string_view content_type;  // "text/html; charset=utf-8", "application/ld+json", ...
  std::string_view body;
  model::Visibility visibility = model::Visibility::kPublic;
  core::TimePoint now{};  // reference time: RRULE windows, relative dates
};

struct ExtractedPage {
  std::optional<model::Dom> dom;  // set for HTML bodies
  bool json = false;              // the body is JSON (an API answer, ActivityPub, JSON-LD)
  model::PageFacts facts;         // links included; tense left kUnknown
};

// Extracts everything structured from one page. Never throws; problems
// with parts of the page go to facts.warnings.
ExtractedPage ExtractPage(const PageInput& input, const ParseOptions& options = {});

// Evidence for a fact read from structured data on `page_url`: `excerpt`
// cut to at most 200 bytes (whole UTF-8 sequences), machine-readable.
model::Evidence MachineEvidence(const core::SharedString& page_url, std::string_view via,
                                std::string_view excerpt, model::Visibility visibility);

}  // namespace telescreen::extract
