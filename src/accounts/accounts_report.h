// An AccountsReport as terminal text, JSON (schema version 1) and a
// self-contained HTML page. Pure: the cli writes the files.
#pragma once

#include <string>

#include "accounts/accounts.h"
#include "core/result.h"

namespace telescreen::accounts {

// Found profiles first, with their URLs; then the sites that could not
// tell, each with why; then how many had no such profile. Everything from
// a site list or a response is cleaned of terminal controls.
// `stale_rules` words it for --check-sites (a result that is not found is
// a rule that no longer detects).
enum class TextKind { kAccounts, kStaleRules };
std::string RenderAccountsText(const AccountsReport& report, TextKind kind = TextKind::kAccounts);

// {"schema_version": 1, "usernames": [...], "checked_at": ..., "interrupted": bool,
//  "results": [{"username", "site", "url", "status", "detail", "category"}]}
// Stable bytes for the same input.
std::string RenderAccountsJson(const AccountsReport& report);

// Reads what RenderAccountsJson wrote (the history keeps that text).
core::Result<AccountsReport> ParseAccountsJson(const std::string& text);

// "Since the check of TIME: 1 profile appeared, 0 disappeared" and one
// line per change; cleaned like the rest.
std::string RenderChangesText(const AccountChanges& changes);
// {"since": ..., "appeared": [result...], "disappeared": [result...]}, results as in the report.
std::string RenderChangesJson(const AccountChanges& changes);

// One HTML file: no script, nothing loaded from the network, every string
// escaped, only http(s) URLs linked; found profiles first.
std::string RenderAccountsHtml(const AccountsReport& report);

}  // namespace telescreen::accounts
