#include "report/html_page.h"

#include "core/hash.h"
#include "core/resources.h"

namespace telescreen::report {
namespace {

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string HexToBytes(const std::string& hex) {
  std::string out;
  auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>((nib(hex[i]) << 4) | nib(hex[i + 1]));
  }
  return out;
}

}  // namespace

std::string BuiltinStyle() {
  auto css = core::FindResource("reports/report.css");
  // The stylesheet is ours, but make sure it cannot end the <style> element.
  std::string style = css ? std::string(*css) : std::string();
  if (style.find("</") != std::string::npos) style.clear();
  return style;
}

// CSP 'sha256-...' source for the exact bytes between <style> and </style>.
std::string StyleCsp(std::string_view style) {
  return "default-src 'none'; style-src 'sha256-" + Base64(HexToBytes(core::Sha256Hex(style))) +
         "'; img-src data:; base-uri 'none'; form-action 'none'";
}

}  // namespace telescreen::report
