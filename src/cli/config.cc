#include "cli/config.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include <toml++/toml.h>

#include "core/file.h"
#include "core/i18n.h"
#include "core/url.h"

namespace telescreen::cli {
namespace {

using core::ErrorCode;
using core::Fill;
using core::MakeError;
using core::Tr;

constexpr std::size_t kMaxConfigBytes = std::size_t{1} << 20;

// Reads one table's keys, remembering which were used, so anything left over
// can be named as unknown. Every error names file, line, column and key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, const std::string& file)
      : table_(table), prefix_(std::move(prefix)), file_(file) {}

  core::Error ErrorAt(const toml::source_region& where, const std::string& key,
                      const std::string& what) const {
    return MakeError(ErrorCode::kInvalidArgument, file_ + ":" + std::to_string(where.begin.line) + ":" +
                                                      std::to_string(where.begin.column) + ": " + prefix_ +
                                                      key + ": " + what);
  }

  const toml::node* Find(const std::string& key) {
    known_.insert(key);
    return table_.get(key);
  }

  // Reads an integer in [lo, hi] into *out when the key is present.
  template <typename T>
  core::Status Int(const std::string& key, std::int64_t lo, std::int64_t hi, std::optional<T>* out) {
    const toml::node* node = Find(key);
    if (node == nullptr) return {};
    auto v = node->value_exact<std::int64_t>();
    if (!v || *v < lo || *v > hi) {
      return ErrorAt(
          node->source(), key,
          Fill(Tr("expected an integer from {1} to {2}"), {std::to_string(lo), std::to_string(hi)}));
    }
    *out = static_cast<T>(*v);
    return {};
  }

  core::Status Bool(const std::string& key, std::optional<bool>* out) {
    const toml::node* node = Find(key);
    if (node == nullptr) return {};
    auto v = node->value_exact<bool>();
    if (!v) return ErrorAt(node->source(), key, Tr("expected true or false"));
    *out = *v;
    return {};
  }

  core::Status String(const std::string& key, std::optional<std::string>* out) {
    const toml::node* node = Find(key);
    if (node == nullptr) return {};
    auto v = node->value_exact<std::string>();
    if (!v || v->empty()) return ErrorAt(node->source(), key, Tr("expected a non-empty string"));
    *out = *v;
    return {};
  }

  // A sub-table, or nullptr when absent; error when the key is not a table.
  core::Result<const toml::table*> Table(const std::string& key) {
    const toml::node* node = Find(key);
    if (node == nullptr) return static_cast<const toml::table*>(nullptr);
    if (!node->is_table()) return ErrorAt(node->source(), key, Fill(Tr("expected a table [{1}]"), {key}));
    return node->as_table();
  }

  core::Status RejectUnknown() const {
    for (auto&& [key, node] : table_) {
      std::string name(key.str());
      if (known_.count(name) == 0) {
        return ErrorAt(key.source(), name, Tr("unknown key (see docs/cron.md for the keys)"));
      }
    }
    return {};
  }

 private:
  const toml::table& table_;
  std::string prefix_;  // "limits." for keys of [limits]
  const std::string& file_;
  std::set<std::string> known_;
};

// "~/x" from $HOME; relative paths from the config file's directory.
std::string ResolvePath(const std::string& value, const std::string& config_path) {
  namespace fs = std::filesystem;
  if (value.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    if (home != nullptr && home[0] == '/') return std::string(home) + value.substr(1);
  }
  fs::path p(value);
  if (p.is_absolute()) return value;
  fs::path dir = fs::path(config_path).parent_path();
  return dir.empty() ? value : (dir / p).lexically_normal().string();
}

core::Status ReadTargets(TableReader& top, ScanConfig* config) {
  const toml::node* node = top.Find("targets");
  if (node == nullptr) return {};
  const toml::array* list = node->as_array();
  if (list == nullptr || list->empty()) {
    return top.ErrorAt(node->source(), "targets", Tr("expected a list of URLs, e.g. [\"https://...\"]"));
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const toml::node& item = *list->get(i);
    std::string key = "targets[" + std::to_string(i) + "]";
    auto text = item.value_exact<std::string>();
    if (!text) return top.ErrorAt(item.source(), key, Tr("expected a URL string"));
    auto url = core::Url::Parse(*text);
    if (!url.ok()) return top.ErrorAt(item.source(), key, url.error().message);
    config->targets.push_back(*text);
  }
  return {};
}

// Reads the table `name` ([limits], [output], ...) when the file has one:
// `read` reads its keys (each read in turn, the first error wins) and then
// rejects the keys it did not use.
template <typename Read>
core::Status ReadSection(TableReader& top, const char* name, const std::string& file, const Read& read) {
  auto table = top.Table(name);
  if (!table.ok()) return table.error();
  if (table.value() == nullptr) return {};
  TableReader r(*table.value(), std::string(name) + ".", file);
  for (const core::Status& status : read(r)) {
    if (!status.ok()) return status;
  }
  return {};
}

core::Status ReadLimits(TableReader& top, ScanConfig* c, const std::string& file) {
  return ReadSection(top, "limits", file, [c](TableReader& r) {
    return std::vector{r.Int("depth", 0, 1000, &c->depth),
                       r.Int("max_pages", 1, 1000000, &c->max_pages),
                       r.Int("concurrency", 1, 256, &c->concurrency),
                       r.Int("per_host", 1, 64, &c->per_host),
                       r.Int("delay_ms", 0, 600000, &c->delay_ms),
                       r.RejectUnknown()};
  });
}

core::Status ReadOutput(TableReader& top, ScanConfig* c, const std::string& file) {
  return ReadSection(top, "output", file, [c](TableReader& r) {
    return std::vector{r.String("json", &c->json_path), r.String("html", &c->html_path),
                       r.Bool("quiet", &c->quiet), r.RejectUnknown()};
  });
}

core::Status ReadHistory(TableReader& top, ScanConfig* c, const std::string& file) {
  return ReadSection(top, "history", file, [c](TableReader& r) {
    return std::vector{r.String("db", &c->db_path), r.Int("keep", 0, 1000000, &c->keep),
                       r.Bool("store_bodies", &c->store_bodies), r.RejectUnknown()};
  });
}

core::Status ReadAlerts(TableReader& top, ScanConfig* c, const std::string& file) {
  return ReadSection(top, "alerts", file, [c](TableReader& r) {
    return std::vector{r.Int("fail_above", 0, 100, &c->fail_above), r.Bool("fail_on_new", &c->fail_on_new),
                       r.RejectUnknown()};
  });
}

void ResolvePaths(ScanConfig* c) {
  for (std::optional<std::string>* p : {&c->cookies, &c->json_path, &c->html_path, &c->db_path}) {
    if (*p) **p = ResolvePath(**p, c->path);
  }
}

}  // namespace

core::Result<ScanConfig> ParseConfig(const std::string& text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return MakeError(ErrorCode::kInvalidArgument, path + ":" + std::to_string(where.line) + ":" +
                                                      std::to_string(where.column) + ": " +
                                                      std::string(e.description()));
  }
  ScanConfig config;
  config.path = path;
  TableReader top(root, "", path);
  for (const auto& status :
       {ReadTargets(top, &config), top.String("cookies", &config.cookies), ReadLimits(top, &config, path),
        ReadOutput(top, &config, path), ReadHistory(top, &config, path), ReadAlerts(top, &config, path),
        top.RejectUnknown()}) {
    if (!status.ok()) return status.error();
  }
  ResolvePaths(&config);
  return config;
}

core::Result<ScanConfig> LoadConfig(const std::string& path) {
  auto text = core::ReadFile(path, kMaxConfigBytes);
  if (!text.ok()) {
    auto error = text.error();
    if (error.code == ErrorCode::kNotFound) return error.WithContext("--config");
    return MakeError(error.code == ErrorCode::kIo ? ErrorCode::kIo : ErrorCode::kInvalidArgument,
                     "--config: " + error.message);
  }
  return ParseConfig(text.value(), path);
}

}  // namespace telescreen::cli
