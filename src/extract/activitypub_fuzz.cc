// libFuzzer target (robustness against hostile input): arbitrary bytes must never crash,
// hang or grow memory without bound. Build with -DTELESCREEN_FUZZ=ON (clang);
// seeds in tests/fuzz/activitypub/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/activitypub.h"
#include "extract/fuzz_input.h"

using namespace telescreen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const extract::PageInput input = extract::FuzzPageInput("https://fuzz.invalid/users/ann/followers");
  const std::string_view text = extract::FuzzText(data, size);
  (void)extract::IsActivityStreams(text);
  model::PageFacts facts = extract::ExtractActivityPub(text, input);
  for (const auto& link : facts.links) {
    if (link.url.rfind("http", 0) != 0) __builtin_trap();  // links are absolute http(s)
  }
  return 0;
}
