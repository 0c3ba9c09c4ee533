// libFuzzer target (robustness against hostile input): arbitrary bytes as a JSON-LD body
// and as a <script type="application/ld+json"> block. Deep nesting must be
// refused before any recursive walk. Build with -DTELESCREEN_FUZZ=ON
// (clang); seeds in tests/fuzz/json_ld/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/url.h"
#include "extract/extractor.h"

using namespace telescreen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const core::Url url = core::Url::Parse("https://fuzz.invalid/p").value();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  extract::PageInput input;
  input.url = url;
  input.content_type = "application/ld+json";
  input.body = text;
  extract::ExtractedPage doc = extract::ExtractPage(input);
  if (doc.dom) __builtin_trap();  // a JSON-LD body is never parsed as HTML

  std::string html = "<script type=\"application/ld+json\">";
  html.append(text);
  html += "</script>";
  input.content_type = "text/html";
  input.body = html;
  extract::ExtractedPage page = extract::ExtractPage(input);
  for (const auto& c : page.facts.contacts) {
    if (c.evidence.empty()) __builtin_trap();
  }
  return 0;
}
