// libFuzzer target (robustness against hostile input): arbitrary bytes must never crash,
// hang or grow memory without bound. Build with -DTELESCREEN_FUZZ=ON (clang);
// seeds in tests/fuzz/dates/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/dates.h"
#include "extract/extractor.h"
#include "extract/fuzz_input.h"

using namespace telescreen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = extract::FuzzText(data, size);
  const extract::PageInput& input = extract::FuzzFeedInput();
  auto parsed = extract::ParseDate(text, input.now);
  if (parsed && parsed->end < parsed->start) __builtin_trap();  // a range never runs backwards
  return 0;
}
