// The JSON report, schema version 1 (docs/report.md, docs/report.schema.json).
// Keys come in a fixed order (ordered_json) and numbers are rounded before
// they are written, so the same scan gives the same bytes.

#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "model/report_json.h"
#include "report/report.h"

namespace telescreen::report {
namespace {

using Json = model::OrderedJson;

using model::JsonOrNull;

double Round(double x, double scale) {
  if (!std::isfinite(x)) return 0;
  return std::round(x * scale) / scale;
}

Json EvidenceJson(const model::Evidence& e) {
  Json j;
  j["page_url"] = e.page_url;
  j["via"] = e.via;
  j["excerpt"] = e.excerpt;
  j["machine_readable"] = e.machine_readable;
  j["visibility"] = model::VisibilityName(e.visibility);
  return j;
}

Json PageJson(const model::Page& p) {
  Json j;
  j["url"] = p.url;
  j["final_url"] = p.final_url;
  j["status"] = p.status;
  j["content_type"] = p.content_type;
  j["bytes"] = p.bytes;
  j["sha256"] = p.sha256;
  j["fetch_ms"] = Round(p.fetch_ms, 10);
  j["error"] = JsonOrNull(p.error);
  j["truncated"] = p.truncated;
  j["depth"] = p.depth;
  j["visibility"] = model::VisibilityName(p.visibility);
  j["captured_at"] = JsonOrNull(p.captured_at);
  j["wall"] = JsonOrNull(model::WallName(p.wall));
  j["wall_detail"] = JsonOrNull(p.wall_detail);
  return j;
}

Json CoverageJson(const model::Coverage& c) {
  Json j;
  j["target"] = c.target;
  j["site"] = JsonOrNull(c.site);
  j["seen"] = model::SeenName(c.seen);
  j["detail"] = JsonOrNull(c.detail);
  return j;
}

Json ScoreJson(const model::Score& s) {
  Json j;
  j["total"] = s.total;
  j["complete"] = s.complete;
  j["level"] = s.level;
  j["summary"] = s.level_summary;
  Json cats = Json::array();
  for (const auto& c : s.categories) {
    Json cj;
    cj["id"] = c.id;
    cj["label"] = c.label;
    cj["score"] = Round(c.score, 10);
    cj["weight"] = Round(c.weight, 1000);
    cj["summary"] = c.summary;
    cats.push_back(std::move(cj));
  }
  j["categories"] = std::move(cats);
  return j;
}

Json FindingJson(const model::Finding& f) {
  Json j;
  j["id"] = f.id;
  j["category"] = f.category;
  j["title"] = f.title;
  j["points"] = Round(f.points, 1000);
  j["sensitivity"] = Round(f.sensitivity, 1000);
  j["visibility"] = Round(f.visibility, 1000);
  Json ev = Json::array();
  for (const auto& e : f.evidence) ev.push_back(EvidenceJson(e));
  j["evidence"] = std::move(ev);
  j["remediation"] = f.remediation;
  return j;
}

Json FixJson(const model::Fix& f) {
  Json j;
  j["id"] = f.id;
  j["text"] = f.text;
  j["settings_url"] = JsonOrNull(f.settings_url);
  Json ids = Json::array();
  for (const auto& id : f.findings) ids.push_back(id.view());
  j["findings"] = std::move(ids);
  j["score_after"] = f.score_after;
  j["cumulative_after"] = f.cumulative_after;
  return j;
}

// Writes the report piece by piece, in exactly the layout of one big
// dump(2): a scan of thousands of pages has tens of thousands of items, and
// one JSON tree of them all took several times the report's own size.
class PieceWriter {
 public:
  // With `sink`, the text written so far is handed on whenever it passes
  // kFlushBytes (between items) and at Flush(); without, it is kept.
  explicit PieceWriter(const std::function<bool(std::string_view)>* sink = nullptr) : sink_(sink) {}
  static constexpr std::size_t kFlushBytes = 64 * 1024;

  void Flush() {
    if (!sink_ || out_.empty()) return;
    if (ok_) ok_ = (*sink_)(out_);
    out_.clear();
  }
  // `v` as dump(2) writes it at nesting depth `depth` (continuation lines
  // indented by 2 x depth; the first line is the caller's).
  void Value(const Json& v, int depth) {
    std::string text = v.dump(2, ' ', false, Json::error_handler_t::replace);
    std::string pad(static_cast<std::size_t>(2 * depth), ' ');
    std::size_t from = 0;
    while (true) {
      std::size_t nl = text.find('\n', from);  // JSON strings escape newlines: only layout ones
      out_.append(text, from, nl == std::string::npos ? std::string::npos : nl + 1 - from);
      if (nl == std::string::npos) break;
      out_ += pad;
      from = nl + 1;
    }
  }
  // An array of items made one at a time by `to_json`, at depth `depth`.
  template <typename T, typename F>
  void Array(const std::vector<T>& items, F to_json, int depth) {
    if (items.empty()) {
      out_ += "[]";
      return;
    }
    std::string pad(static_cast<std::size_t>(2 * (depth + 1)), ' ');
    out_ += "[\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
      out_ += pad;
      Value(to_json(items[i]), depth + 1);
      out_ += i + 1 < items.size() ? ",\n" : "\n";
      if (out_.size() >= kFlushBytes) Flush();
    }
    out_.append(2 * static_cast<std::size_t>(depth), ' ');
    out_ += "]";
  }
  // Opens member `key` of an object at depth `depth - 1`; `first` = no comma.
  void Key(std::string_view key, int depth, bool first) {
    out_ += first ? "\n" : ",\n";
    out_.append(2 * static_cast<std::size_t>(depth), ' ');
    out_ += Json(std::string(key)).dump();
    out_ += ": ";
  }
  std::string& out() { return out_; }

 private:
  const std::function<bool(std::string_view)>* sink_;
  bool ok_ = true;  // the sink has not asked to stop
  std::string out_;
};

// Page text may hold invalid UTF-8: replaced (PieceWriter::Value) rather than thrown.
void WriteReport(const model::ScanResult& r, PieceWriter& w) {
  auto same = [](const auto& v) { return Json(v); };
  w.out() += "{";
  w.Key("schema_version", 1, true);
  w.Value(1, 1);
  w.Key("now", 1, false);
  w.Value(r.now, 1);
  w.Key("targets", 1, false);
  w.Value(r.targets, 1);
  w.Key("coverage", 1, false);
  w.Array(r.coverage, CoverageJson, 1);
  w.Key("interrupted", 1, false);
  w.Value(r.interrupted, 1);
  w.Key("identity", 1, false);
  w.out() += "{";
  w.Key("names", 2, true);
  w.Array(r.identity.names, same, 2);
  w.Key("profiles", 2, false);
  w.Array(r.identity.profiles, same, 2);
  w.Key("facts", 2, false);
  w.Array(r.identity.facts, model::FactJson, 2);
  w.out() += "\n  }";
  w.Key("contacts", 1, false);
  w.Array(r.contacts, model::ContactJson, 1);
  w.Key("interactions", 1, false);
  w.Array(r.interactions, model::InteractionJson, 1);
  w.Key("events", 1, false);
  w.Array(r.events, model::EventJson, 1);
  w.Key("pages", 1, false);
  w.Array(r.pages, PageJson, 1);
  w.Key("score", 1, false);
  w.Value(ScoreJson(r.score), 1);
  w.Key("findings", 1, false);
  w.Array(r.findings, FindingJson, 1);
  w.Key("fixes", 1, false);
  w.Array(r.fixes, FixJson, 1);
  w.Key("warnings", 1, false);
  w.Value(r.warnings, 1);
  if (r.changes) {
    w.Key("changes", 1, false);
    w.Value(model::ChangesJson(*r.changes), 1);
  }
  w.out() += "\n}\n";
}

}  // namespace

std::string RenderJson(const model::ScanResult& r) {
  PieceWriter w;
  WriteReport(r, w);
  return std::move(w.out());
}

void RenderJsonTo(const model::ScanResult& r, const std::function<bool(std::string_view)>& out) {
  PieceWriter w(&out);
  WriteReport(r, w);
  w.Flush();
}

}  // namespace telescreen::report
