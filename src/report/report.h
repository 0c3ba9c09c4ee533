// Reports: pure renderings of a ScanResult. The cli writes the files.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "model/scan_result.h"

namespace telescreen::report {

enum class Color { kNever, kAlways };

struct TextOptions {
  Color color = Color::kNever;  // cli decides: a TTY and no NO_COLOR
  int width = 80;               // columns
};

// Terminal summary: score, level, categories, top findings with fixes.
std::string RenderText(const model::ScanResult& result, const TextOptions& options = {});

// JSON report, schema version 1 (docs/report.schema.json). Stable bytes for
// the same input.
std::string RenderJson(const model::ScanResult& result);

// The same bytes as RenderJson, handed to `out` in pieces of about 64 KB
// (a large scan's report is never held whole). `out` returns false to stop.
void RenderJsonTo(const model::ScanResult& result, const std::function<bool(std::string_view)>& out);

// Self-contained HTML report: no network loads, strict CSP, everything from
// a page escaped, javascript:/data: URLs never linked.
std::string RenderHtml(const model::ScanResult& result);

}  // namespace telescreen::report
