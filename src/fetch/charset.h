// Charset: finds a document's character encoding (HTTP header, byte order
// mark, <meta charset> / http-equiv in the first 1024 bytes) and converts it
// to UTF-8 with iconv, replacing invalid bytes by U+FFFD.
//
//   std::string utf8 = ToUtf8(body, "text/html; charset=ISO-8859-1");
#pragma once

#include <string>
#include <string_view>

namespace telescreen::fetch {

// The encoding label for `body`, lower-case, as iconv knows it ("utf-8",
// "windows-1252", "utf-16le", "shift_jis", ...). Order: BOM, the charset
// parameter of `content_type`, a <meta> in the first 1024 bytes (HTML
// only), then "utf-8" if the bytes are valid UTF-8, else "windows-1252"
// (the WHATWG default for unlabelled Western pages). "iso-8859-1",
// "latin1" and "us-ascii" are read as windows-1252, as browsers do.
std::string DetectCharset(std::string_view body, std::string_view content_type);

// `body` converted to UTF-8 (BOM removed); invalid or unconvertible bytes
// become U+FFFD. Unknown labels fall back to UTF-8 with replacement. Never
// fails.
std::string ToUtf8(std::string_view body, std::string_view content_type);

// `text` with every byte that is not part of well-formed UTF-8 replaced by
// U+FFFD.
std::string SanitizeUtf8(std::string_view text);

// True iff `content_type` names text the extractors read (text/*, HTML,
// XHTML, XML, JSON and its +json / +xml kinds), i.e. what ToUtf8 applies to.
bool IsTextContentType(std::string_view content_type);

}  // namespace telescreen::fetch
