#include "accounts/site_list.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/resources.h"
#include "core/text.h"
#include "core/url.h"
#include "report/escape.h"

namespace telescreen::accounts {
namespace {

using nlohmann::json;

constexpr char kAccount[] = "{account}";
constexpr std::size_t kMaxSites = 100000;
constexpr std::size_t kMaxFieldBytes = 8192;

// The message quotes the list (names, values): cleaned of terminal controls
// and invalid UTF-8, as it goes to stderr.
core::Error Bad(const std::string& where, const std::string& what) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, report::CleanText(where + ": " + what));
}

// Reads an optional string field; `required` makes a missing one an error.
core::Status ReadString(const json& entry, const char* key, bool required, const std::string& where,
                        std::string* out) {
  auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) {
    if (required) return Bad(where, std::string("missing field '") + key + "'");
    return {};
  }
  if (!it->is_string()) return Bad(where, std::string(key) + ": expected a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > kMaxFieldBytes) return Bad(where, std::string(key) + ": longer than 8192 bytes");
  *out = s;
  return {};
}

// e_code and m_code are integers in the community list; a few older lists
// wrote them as strings of digits, which are taken too.
core::Status ReadCode(const json& entry, const char* key, const std::string& where, int* out) {
  auto it = entry.find(key);
  if (it == entry.end()) return Bad(where, std::string("missing field '") + key + "'");
  long long v = -1;
  if (it->is_number_integer()) {
    v = it->get<long long>();
  } else if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty() || s.size() > 3 || s.find_first_not_of("0123456789") != std::string::npos) {
      return Bad(where, std::string(key) + ": expected an HTTP status code, got \"" + s.substr(0, 40) + "\"");
    }
    v = std::stoll(s);
  } else {
    return Bad(where, std::string(key) + ": expected an HTTP status code (an integer)");
  }
  if (v < 100 || v > 599)
    return Bad(where, std::string(key) + ": " + std::to_string(v) + " is not an HTTP status code");
  *out = static_cast<int>(v);
  return {};
}

// `uri` must parse as http(s) and hold {account}, unless `account_elsewhere`.
core::Status CheckUri(const std::string& uri, const char* key, const std::string& where,
                      bool account_elsewhere) {
  if (!account_elsewhere && uri.find(kAccount) == std::string::npos) {
    return Bad(where, std::string(key) + ": has no {account}");
  }
  std::string sample = uri;
  for (std::size_t p; (p = sample.find(kAccount)) != std::string::npos;) sample.replace(p, 9, "x");
  auto url = core::Url::Parse(sample);
  if (!url.ok()) return Bad(where, std::string(key) + ": " + url.error().message);
  return {};
}

core::Status ReadHeaders(const json& entry, const std::string& where, Site* site) {
  auto it = entry.find("headers");
  if (it == entry.end() || it->is_null()) return {};
  if (!it->is_object()) return Bad(where, "headers: expected an object of names and values");
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string()) return Bad(where, "headers: " + name + ": expected a string");
    const auto& v = value.get_ref<const std::string&>();
    bool token = !name.empty() && name.size() <= 256;
    for (char c : name) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7f || c == ':') token = false;
    }
    if (!token) return Bad(where, "headers: \"" + name.substr(0, 40) + "\" is not a header name");
    if (v.size() > kMaxFieldBytes || v.find_first_of("\r\n", 0) != std::string::npos ||
        v.find('\0') != std::string::npos) {
      return Bad(where, "headers: " + name + ": the value has a line break or is too long");
    }
    site->headers.emplace_back(name, v);
  }
  return {};
}

core::Status ReadKnown(const json& entry, const std::string& where, Site* site) {
  auto it = entry.find("known");
  if (it == entry.end() || it->is_null()) return {};
  if (!it->is_array()) return Bad(where, "known: expected an array of usernames");
  for (const auto& k : *it) {
    if (!k.is_string()) return Bad(where, "known: expected an array of usernames");
    site->known.push_back(k.get<std::string>());
  }
  return {};
}

// Fills `site` from one entry of "sites"; `where` names it for errors.
core::Status ReadSite(const json& entry, const std::string& where, Site* site) {
  if (!entry.is_object()) return Bad(where, "expected an object");
  for (auto st :
       {ReadString(entry, "uri_check", true, where, &site->uri_check),
        ReadString(entry, "uri_pretty", false, where, &site->uri_pretty),
        ReadString(entry, "e_string", true, where, &site->e_string),
        ReadString(entry, "m_string", true, where, &site->m_string),
        ReadString(entry, "cat", false, where, &site->category),
        ReadString(entry, "strip_bad_char", false, where, &site->strip_bad_char),
        ReadCode(entry, "e_code", where, &site->e_code), ReadCode(entry, "m_code", where, &site->m_code),
        ReadKnown(entry, where, site), ReadHeaders(entry, where, site)}) {
    if (!st.ok()) return st;
  }
  if (entry.contains("post_body") && !entry["post_body"].is_null()) {
    if (auto st = ReadString(entry, "post_body", false, where, &site->post_body); !st.ok()) return st;
    site->post = true;
  }
  // A POST check may carry the username in its body alone.
  const bool in_body = site->post && site->post_body.find(kAccount) != std::string::npos;
  if (auto st = CheckUri(site->uri_check, "uri_check", where, in_body); !st.ok()) return st;
  if (!site->uri_pretty.empty()) {
    if (auto st = CheckUri(site->uri_pretty, "uri_pretty", where, false); !st.ok()) return st;
  }
  return {};
}

}  // namespace

core::Result<SiteList> ParseSiteList(std::string_view json_text, const std::string& file) {
  if (json_text.size() > kMaxSiteListBytes) return Bad(file, "longer than 16 MiB");
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Bad(file, "not valid JSON");
  if (!doc.is_object() || !doc.contains("sites") || !doc["sites"].is_array()) {
    return Bad(file, "expected an object with a \"sites\" array (the WhatsMyName format)");
  }
  const json& sites = doc["sites"];
  if (sites.size() > kMaxSites) return Bad(file, "more than 100000 sites");
  SiteList list;
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const json& entry = sites[i];
    std::string where = file + ": sites[" + std::to_string(i) + "]";
    Site site;
    if (entry.is_object()) {
      if (auto st = ReadString(entry, "name", true, where, &site.name); !st.ok()) return st.error();
      if (core::Trim(site.name).empty()) return Bad(where, "name: empty");
      where += " (\"" + site.name.substr(0, 80) + "\")";
    }
    // Entries the list's keepers marked broken are not checked at all.
    if (entry.is_object()) {
      auto valid = entry.find("valid");
      if (valid != entry.end() && valid->is_boolean() && !valid->get<bool>()) {
        ++list.skipped_invalid;
        continue;
      }
    }
    if (auto st = ReadSite(entry, where, &site); !st.ok()) return st.error();
    auto [it, inserted] = by_name.emplace(core::AsciiLower(site.name), i);
    if (!inserted)
      return Bad(where, "a second site named \"" + site.name + "\" (the first is sites[" +
                            std::to_string(it->second) + "])");
    list.sites.push_back(std::move(site));
  }
  return list;
}

core::Result<SiteList> BuiltinSites() {
  constexpr char kPath[] = "patterns/accounts/sites.json";
  auto text = core::FindResource(kPath);
  if (!text) return core::MakeError(core::ErrorCode::kNotFound, std::string(kPath) + ": not built in");
  return ParseSiteList(*text, std::string("built-in ") + kPath);
}

void MergeSites(std::vector<Site>* base, std::vector<Site> extra) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < base->size(); ++i) index.emplace(core::AsciiLower((*base)[i].name), i);
  for (Site& s : extra) {
    auto it = index.find(core::AsciiLower(s.name));
    if (it != index.end()) {
      (*base)[it->second] = std::move(s);
    } else {
      index.emplace(core::AsciiLower(s.name), base->size());
      base->push_back(std::move(s));
    }
  }
}

}  // namespace telescreen::accounts
