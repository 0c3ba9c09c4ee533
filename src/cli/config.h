// `telescreen scan --config FILE`: a TOML file holding what a cron job or a
// systemd timer would otherwise put on a long command line.
//
//   targets = ["https://example.org/ann", "https://social.example/@ann"]
//   cookies = "cookies.txt"            # relative paths: from the file's folder
//   [limits]   depth = 2, max_pages = 200, concurrency = 8, per_host = 2, delay_ms = 1000
//   [output]   json = "ann.json", html = "ann.html", quiet = true
//   [history]  db = "~/watch/history.db", keep = 30, store_bodies = false
//   [alerts]   fail_above = 60, fail_on_new = true
//
// Every key is optional except `targets` (a command line URL list replaces
// it). Options given on the command line win over the file. Unknown keys
// and wrong types are errors that name the file, line and key:
//   "watch.toml:7:9: limits.depth: expected an integer from 0 to 1000"
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace telescreen::cli {

struct ScanConfig {
  std::string path;                    // the file read
  std::vector<std::string> targets;    // http(s) URLs, already checked to parse
  std::optional<std::string> cookies;  // Netscape cookies.txt; path resolved
  // [limits]
  std::optional<int> depth;                // 0..1000
  std::optional<std::size_t> max_pages;    // 1..1000000
  std::optional<std::size_t> concurrency;  // 1..256
  std::optional<std::size_t> per_host;     // 1..64
  std::optional<int> delay_ms;             // 0..600000
  // [output]
  std::optional<std::string> json_path;  // path resolved
  std::optional<std::string> html_path;  // path resolved
  std::optional<bool> quiet;             // as --quiet
  // [history]
  std::optional<std::string> db_path;  // path resolved
  std::optional<int> keep;             // 0..1000000; 0 = keep every scan
  std::optional<bool> store_bodies;    // as --store-bodies
  // [alerts]
  std::optional<int> fail_above;  // 0..100
  std::optional<bool> fail_on_new;
};

// Reads and checks `path` (at most 1 MiB). Relative paths inside the file
// are taken from the file's directory; a leading "~/" from $HOME. Errors:
// kNotFound (missing file, naming it), kInvalidArgument (TOML syntax, an
// unknown key, a wrong type or range, a bad target URL; the message starts
// "FILE:LINE:COLUMN: KEY: ..."), kIo.
core::Result<ScanConfig> LoadConfig(const std::string& path);

// The same from text already in memory; `path` names it in messages and
// anchors relative paths.
core::Result<ScanConfig> ParseConfig(const std::string& text, const std::string& path);

}  // namespace telescreen::cli
