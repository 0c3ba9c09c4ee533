#include "store/account_checks.h"

#include <functional>
#include <limits>

#include "store/sqlite.h"

namespace telescreen::store {
namespace {

constexpr char kCreate[] =
    "CREATE TABLE IF NOT EXISTS account_checks ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " key TEXT NOT NULL,"
    " checked_at TEXT NOT NULL,"
    " report TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS account_checks_by_key ON account_checks(key, id);";

core::Result<bool> HasTable(Database& db) {
  auto n = db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'account_checks'");
  if (!n.ok()) return n.error();
  return n.value().value_or(0) > 0;
}

}  // namespace

core::Result<std::int64_t> AddAccountCheck(HistoryStore& store, const std::string& key,
                                           const std::string& checked_at, const std::string& report) {
  // Nothing is written before the file has passed its check.
  if (auto st = store.AwaitCheck(); !st.ok()) return st.error();
  Database& db = store.database();
  auto tx = Transaction::Begin(db);
  if (!tx.ok()) return tx.error();
  if (auto st = db.Exec(kCreate); !st.ok()) return st.error().WithContext(db.path());
  auto insert = db.Prepare("INSERT INTO account_checks (key, checked_at, report) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.error();
  insert.value().Bind(1, key);
  insert.value().Bind(2, checked_at);
  insert.value().Bind(3, report);
  if (auto st = insert.value().Run(); !st.ok()) return st.error().WithContext(db.path());
  std::int64_t id = db.LastInsertRowId();
  if (auto st = tx.value().Commit(); !st.ok()) return st.error();
  return id;
}

namespace {

// The first row of `sql` (id, key, checked_at, report) after binding `bind`.
core::Result<std::optional<StoredAccountCheck>> QueryOne(Database& db, const char* sql,
                                                         const std::function<void(Statement&)>& bind) {
  auto has = HasTable(db);
  if (!has.ok()) return has.error();
  if (!has.value()) return std::optional<StoredAccountCheck>();
  auto query = db.Prepare(sql);
  if (!query.ok()) return query.error();
  bind(query.value());
  auto step = query.value().Step();
  if (!step.ok()) return step.error();
  if (step.value() != StepResult::kRow) return std::optional<StoredAccountCheck>();
  StoredAccountCheck c;
  c.id = query.value().ColumnInt64(0);
  c.key = query.value().ColumnText(1);
  c.checked_at = query.value().ColumnText(2);
  c.report = query.value().ColumnText(3);
  return std::optional<StoredAccountCheck>(std::move(c));
}

}  // namespace

core::Result<std::optional<StoredAccountCheck>> PreviousAccountCheck(HistoryStore& store,
                                                                     const std::string& key,
                                                                     std::optional<std::int64_t> before_id) {
  return QueryOne(store.database(),
                  "SELECT id, key, checked_at, report FROM account_checks WHERE key = ?1 AND id < ?2 "
                  "ORDER BY id DESC LIMIT 1",
                  [&](Statement& st) {
                    st.Bind(1, key);
                    st.Bind(2, before_id.value_or(std::numeric_limits<std::int64_t>::max()));
                  });
}

core::Result<std::optional<StoredAccountCheck>> LatestAccountCheck(HistoryStore& store) {
  return QueryOne(store.database(),
                  "SELECT id, key, checked_at, report FROM account_checks ORDER BY id DESC LIMIT 1",
                  [](Statement&) {});
}

}  // namespace telescreen::store
