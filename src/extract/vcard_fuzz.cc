// libFuzzer target (robustness against hostile input): arbitrary bytes must never crash,
// hang or grow memory without bound. Build with -DTELESCREEN_FUZZ=ON (clang);
// seeds in tests/fuzz/vcard/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/fuzz_input.h"
#include "extract/vcard.h"

using namespace telescreen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = extract::FuzzText(data, size);
  const extract::PageInput& input = extract::FuzzFeedInput();
  model::PageFacts facts = extract::ExtractVcard(text, input);
  for (const auto& f : facts.identity) {
    if (f.value.empty() || f.evidence.excerpt.size() > 200) __builtin_trap();
  }
  return 0;
}
