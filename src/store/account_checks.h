// Account checks in the history (`telescreen accounts`): each finished
// check is kept as the JSON text its report writes (one codec, in
// accounts/), under a key naming its usernames, in a table of its own
// beside the scans. The table is created on first use, so the scans'
// schema and its migrations are untouched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "store/history_store.h"

namespace telescreen::store {

struct StoredAccountCheck {
  std::int64_t id = 0;
  std::string key;         // which usernames (the caller's canonical text)
  std::string checked_at;  // ISO 8601 UTC
  std::string report;      // the accounts report's JSON
  bool operator==(const StoredAccountCheck&) const = default;
};

// Adds a check in one transaction; returns its id.
// REQUIRES: `store` was opened with Access::kWrite.
core::Result<std::int64_t> AddAccountCheck(HistoryStore& store, const std::string& key,
                                           const std::string& checked_at, const std::string& report);

// The newest check of `key` with an id below `before_id` (any id when
// unset); nullopt when there is none, also when no check was ever stored.
core::Result<std::optional<StoredAccountCheck>> PreviousAccountCheck(
    HistoryStore& store, const std::string& key, std::optional<std::int64_t> before_id = std::nullopt);

// The newest check of any usernames, or nullopt.
core::Result<std::optional<StoredAccountCheck>> LatestAccountCheck(HistoryStore& store);

}  // namespace telescreen::store
