// libFuzzer target (robustness against hostile input): ExtractPage on arbitrary bytes as
// HTML must never crash, hang or grow memory without bound, and every fact
// it returns must carry its evidence. Build with -DTELESCREEN_FUZZ=ON
// (clang); seeds in tests/fuzz/html/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/url.h"
#include "extract/extractor.h"

using namespace telescreen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const core::Url url = core::Url::Parse("https://fuzz.invalid/people/ann").value();
  extract::PageInput input;
  input.url = url;
  input.content_type = "text/html";
  input.body = std::string_view(reinterpret_cast<const char*>(data), size);
  extract::ParseOptions options;
  options.max_input_bytes = 1 << 20;
  extract::ExtractedPage page = extract::ExtractPage(input, options);
  for (const auto& f : page.facts.identity) {
    if (f.evidence.page_url.empty() || f.evidence.excerpt.size() > 200) __builtin_trap();
  }
  for (const auto& c : page.facts.contacts) {
    if (c.evidence.empty()) __builtin_trap();
  }
  for (const auto& e : page.facts.events) {
    if (e.evidence.empty()) __builtin_trap();
  }
  for (const auto& l : page.facts.links) {
    if (l.url.rfind("http", 0) != 0) __builtin_trap();  // only absolute http(s) links
  }
  return 0;
}
