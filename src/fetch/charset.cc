#include "fetch/charset.h"

#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/text.h"

namespace telescreen::fetch {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Canonical iconv name for a label; WHATWG reads Latin-1 and ASCII labels as
// windows-1252, a superset.
std::string CanonicalLabel(std::string label) {
  label = core::AsciiLower(label);
  while (!label.empty() && (label.back() == ' ' || label.back() == '"' || label.back() == '\'')) {
    label.pop_back();
  }
  while (!label.empty() && (label.front() == ' ' || label.front() == '"' || label.front() == '\'')) {
    label.erase(0, 1);
  }
  if (label == "utf8" || label == "unicode-1-1-utf-8") return "utf-8";
  if (label == "iso-8859-1" || label == "iso8859-1" || label == "latin1" || label == "l1" ||
      label == "us-ascii" || label == "ascii" || label == "cp1252" || label == "x-cp1252" ||
      label == "iso_8859-1" || label == "cp819") {
    return "windows-1252";
  }
  return label;
}

// The value after "charset=" in `text`, or "" (stops at ; " ' space >).
std::string CharsetParameter(std::string_view text) {
  std::string lower = core::AsciiLower(text);
  std::size_t at = lower.find("charset");
  while (at != std::string::npos) {
    std::size_t i = at + 7;
    while (i < lower.size() && lower[i] == ' ') ++i;
    if (i < lower.size() && lower[i] == '=') {
      ++i;
      while (i < lower.size() && (lower[i] == ' ' || lower[i] == '"' || lower[i] == '\'')) ++i;
      std::size_t end = i;
      while (end < lower.size() && lower[end] != ';' && lower[end] != '"' && lower[end] != '\'' &&
             lower[end] != ' ' && lower[end] != '>' && lower[end] != '/' && lower[end] != ',') {
        ++end;
      }
      if (end > i) return lower.substr(i, end - i);
    }
    at = lower.find("charset", at + 7);
  }
  return "";
}

// A charset declared by a <meta> tag in the first 1024 bytes (HTML's
// prescan, simplified: <meta charset=...> or a content="...charset=...").
std::string MetaCharset(std::string_view body) {
  std::string head = core::AsciiLower(body.substr(0, 1024));
  std::size_t at = head.find("<meta");
  while (at != std::string::npos) {
    std::size_t end = head.find('>', at);
    if (end == std::string::npos) end = head.size();
    std::string found = CharsetParameter(std::string_view(head).substr(at, end - at));
    if (!found.empty()) return found;
    at = head.find("<meta", at + 5);
  }
  return "";
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

}  // namespace

bool IsTextContentType(std::string_view content_type) {
  std::string t = core::AsciiLower(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t.rfind("text/", 0) == 0 || t == "application/xhtml+xml" || t == "application/xml" ||
         t == "application/json" || t.ends_with("+json") || t.ends_with("+xml");
}

std::string DetectCharset(std::string_view body, std::string_view content_type) {
  if (body.starts_with("\xEF\xBB\xBF")) return "utf-8";
  if (body.starts_with("\xFF\xFE")) return "utf-16le";
  if (body.starts_with("\xFE\xFF")) return "utf-16be";
  std::string label = CharsetParameter(content_type);
  std::string type = core::AsciiLower(content_type);
  if (label.empty() && (type.find("html") != std::string::npos || type.empty())) {
    label = MetaCharset(body);
    // A <meta> cannot truthfully declare UTF-16: the bytes read it as ASCII.
    if (label.rfind("utf-16", 0) == 0) label = "utf-8";
  }
  if (!label.empty()) return CanonicalLabel(label);
  return core::IsValidUtf8(body) ? "utf-8" : "windows-1252";
}

std::string SanitizeUtf8(std::string_view text) {
  if (core::IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = core::Utf8SequenceLength(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string ToUtf8(std::string_view body, std::string_view content_type) {
  std::string label = DetectCharset(body, content_type);
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if ((label == "utf-16le" && body.starts_with("\xFF\xFE")) ||
      (label == "utf-16be" && body.starts_with("\xFE\xFF"))) {
    body.remove_prefix(2);
  }
  if (label == "utf-8") return SanitizeUtf8(body);
  // The label comes from the page: hand iconv only plain names.
  if (label.size() > 40) return SanitizeUtf8(body);
  for (char c : label) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ':') {
      return SanitizeUtf8(body);
    }
  }
  iconv_t raw = iconv_open("UTF-8", label.c_str());
  if (reinterpret_cast<std::intptr_t>(raw) == -1) return SanitizeUtf8(body);
  std::unique_ptr<void, IconvCloser> cd(raw);

  std::string out;
  out.reserve(body.size() + body.size() / 2);
  char buffer[4096];
  char* in = const_cast<char*>(body.data());  // iconv's signature; not written
  std::size_t in_left = body.size();
  while (in_left > 0) {
    char* dst = buffer;
    std::size_t dst_left = sizeof buffer;
    std::size_t rc = iconv(raw, &in, &in_left, &dst, &dst_left);
    out.append(buffer, static_cast<std::size_t>(dst - buffer));
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) continue;
    // EILSEQ (invalid or unconvertible byte) or EINVAL (incomplete sequence
    // at the end): replace one byte and carry on.
    out += kReplacement;
    ++in;
    --in_left;
    iconv(raw, nullptr, nullptr, nullptr, nullptr);  // reset shift state
  }
  char* dst = buffer;
  std::size_t dst_left = sizeof buffer;
  iconv(raw, nullptr, nullptr, &dst, &dst_left);  // flush
  out.append(buffer, static_cast<std::size_t>(dst - buffer));
  return out;  // iconv wrote only whole UTF-8 sequences
}

}  // namespace telescreen::fetch
