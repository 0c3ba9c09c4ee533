// Test-only: a tiny HTML reader for well-formed pages, so the patterns tests
// can build a model::Dom without the extractor (stages must not include each
// other). Handles tags, quoted/bare attributes, void elements, comments,
// doctype, raw text in script/style, and the common entities. It is not an
// HTML5 parser: no implied end tags. Production code uses extract::ParseHtml.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/dom.h"

namespace telescreen::patterns::testing {

inline std::string DecodeEntities(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
      continue;
    }
    std::string_view name = s.substr(i + 1, semi - i - 1);
    std::uint32_t cp = 0;
    if (name == "amp") cp = '&';
    else if (name == "lt") cp = '<';
    else if (name == "gt") cp = '>';
    else if (name == "quot") cp = '"';
    else if (name == "apos") cp = '\'';
    else if (name == "nbsp") cp = 0xA0;
    else if (name.size() > 1 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      cp = static_cast<std::uint32_t>(std::stoul(std::string(name.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10));
    } else {
      out += '&';
      continue;
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    i = semi;
  }
  return out;
}

inline bool IsVoid(const std::string& t) {
  static const char* kVoid[] = {"area", "base", "br", "col", "embed", "hr", "img", "input",
                                "link", "meta", "source", "track", "wbr"};
  for (const char* v : kVoid) {
    if (t == v) return true;
  }
  return false;
}

inline model::Dom ParseTestHtml(std::string_view h) {
  model::Dom dom;
  std::vector<model::NodeId> open{dom.root()};
  std::size_t i = 0;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  auto text = [&](std::string_view t) {
    if (t.empty()) return;
    model::DomNode n;
    n.kind = model::NodeKind::kText;
    n.text = DecodeEntities(t);
    dom.Append(open.back(), std::move(n));
  };
  while (i < h.size()) {
    std::size_t lt = h.find('<', i);
    if (lt == std::string_view::npos) {
      text(h.substr(i));
      break;
    }
    text(h.substr(i, lt - i));
    if (h.substr(lt, 4) == "<!--") {
      std::size_t end = h.find("-->", lt);
      i = end == std::string_view::npos ? h.size() : end + 3;
      continue;
    }
    if (lt + 1 < h.size() && (h[lt + 1] == '!' || h[lt + 1] == '?')) {
      std::size_t end = h.find('>', lt);
      i = end == std::string_view::npos ? h.size() : end + 1;
      continue;
    }
    bool closing = lt + 1 < h.size() && h[lt + 1] == '/';
    std::size_t p = lt + (closing ? 2 : 1);
    std::size_t name_end = p;
    while (name_end < h.size() && (std::isalnum(static_cast<unsigned char>(h[name_end])) || h[name_end] == '-')) ++name_end;
    std::string tag = lower(std::string(h.substr(p, name_end - p)));
    if (tag.empty()) {
      text("<");
      i = lt + 1;
      continue;
    }
    if (closing) {
      std::size_t end = h.find('>', name_end);
      i = end == std::string_view::npos ? h.size() : end + 1;
      for (std::size_t k = open.size(); k-- > 1;) {
        if (dom.node(open[k]).tag == tag) {
          open.resize(k);
          break;
        }
      }
      continue;
    }
    model::DomNode el;
    el.tag = tag;
    p = name_end;
    bool self_close = false;
    while (p < h.size() && h[p] != '>') {
      if (std::isspace(static_cast<unsigned char>(h[p]))) { ++p; continue; }
      if (h[p] == '/') { self_close = true; ++p; continue; }
      std::size_t a = p;
      while (p < h.size() && !std::isspace(static_cast<unsigned char>(h[p])) && h[p] != '=' && h[p] != '>' && h[p] != '/') ++p;
      std::string name = lower(std::string(h.substr(a, p - a)));
      std::string value;
      if (p < h.size() && h[p] == '=') {
        ++p;
        if (p < h.size() && (h[p] == '"' || h[p] == '\'')) {
          char q = h[p++];
          std::size_t e = h.find(q, p);
          if (e == std::string_view::npos) e = h.size();
          value = DecodeEntities(h.substr(p, e - p));
          p = e + 1;
        } else {
          std::size_t e = p;
          while (e < h.size() && !std::isspace(static_cast<unsigned char>(h[e])) && h[e] != '>') ++e;
          value = DecodeEntities(h.substr(p, e - p));
          p = e;
        }
      }
      if (!name.empty()) el.attributes.emplace_back(name, value);
    }
    i = p < h.size() ? p + 1 : h.size();
    model::NodeId id = dom.Append(open.back(), std::move(el));
    if (tag == "script" || tag == "style") {
      std::string close = "</" + tag;
      std::size_t end = h.find(close, i);
      if (end == std::string_view::npos) end = h.size();
      model::DomNode t;
      t.kind = model::NodeKind::kText;
      t.text = std::string(h.substr(i, end - i));
      dom.Append(id, std::move(t));
      std::size_t gt = h.find('>', end);
      i = gt == std::string_view::npos ? h.size() : gt + 1;
      continue;
    }
    if (!self_close && !IsVoid(tag)) open.push_back(id);
  }
  return dom;
}

}  // namespace telescreen::patterns::testing
