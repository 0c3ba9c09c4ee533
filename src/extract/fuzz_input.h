// The fixed page the libFuzzer targets feed their bytes through: a made-up
// URL and reference time, so every run is reproducible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"
#include "core/url.h"
#include "extract/extractor.h"

namespace telescreen::extract {

// A PageInput for `url` with now = 2026-03-10T12:00:00Z. REQUIRES: `url` parses.
inline PageInput FuzzPageInput(const std::string& url) {
  PageInput in;
  in.url = core::Url::Parse(url).value();
  in.now = core::ParseNow("2026-03-10T12:00:00Z").value();
  return in;
}

// The fuzzer's bytes as text.
inline std::string_view FuzzText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// FuzzPageInput for a feed URL, built once for all runs.
inline const PageInput& FuzzFeedInput() {
  static const PageInput input = FuzzPageInput("https://fuzz.invalid/feed");
  return input;
}

}  // namespace telescreen::extract
