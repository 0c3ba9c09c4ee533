// A thin typed layer over the SQLite C API: owners for sqlite3* and
// sqlite3_stmt*, and statements that bind and read by index and report
// failures as core::Result values. Only store/ uses it.
//
//   auto db = Database::Open(path, OpenMode::kReadWrite);
//   auto st = db.value().Prepare("SELECT id FROM scans WHERE target_key = ?1");
//   st.value().Bind(1, key);
//   while (st.value().Step().value() == StepResult::kRow) st.value().ColumnInt64(0);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_blob;

namespace telescreen::store {

struct SqliteDeleter {
  void operator()(sqlite3* db) const;
};
struct StatementDeleter {
  void operator()(sqlite3_stmt* st) const;
};
struct BlobDeleter {
  void operator()(sqlite3_blob* blob) const;
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteDeleter>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

enum class StepResult { kRow, kDone };

// A prepared statement. Must not outlive the Database that prepared it.
class Statement {
 public:
  explicit Statement(StatementHandle handle) : handle_(std::move(handle)) {}

  // Binders use 1-based parameter indexes, as SQLite does. Binding an
  // index the statement lacks is a programming error reported by Step().
  void Bind(int index, std::int64_t value);
  void BindDouble(int index, double value);
  void Bind(int index, std::string_view text);
  void BindBlob(int index, std::string_view bytes);
  // A blob of `size` zero bytes, written later with Database::WriteBlob:
  // SQLite stores it without building it in memory.
  void BindZeroBlob(int index, std::size_t size);
  void BindNull(int index);
  void BindOptional(int index, std::string_view text);  // empty -> NULL

  // Runs one step. Errors carry SQLite's message.
  core::Result<StepResult> Step();
  // Steps until done; for INSERT/UPDATE/DELETE.
  core::Status Run();
  // Makes the statement ready to run again with new bindings.
  void Reset();

  // Column readers for the current row; 0-based, as SQLite does. NULL reads
  // as 0 or "".
  std::int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;

 private:
  StatementHandle handle_;
  int bind_error_ = 0;  // first failed bind, reported by Step()
};

enum class OpenMode {
  kReadOnly,         // the file must exist; nothing is written
  kReadWrite,        // the file must exist
  kReadWriteCreate,  // created if missing
};

class Database {
 public:
  // Opens `path`. Errors lead with the path.
  static core::Result<Database> Open(const std::string& path, OpenMode mode);

  // Runs one or more statements without results.
  core::Status Exec(std::string_view sql);
  core::Result<Statement> Prepare(std::string_view sql);
  // Runs a query whose first row's first column is an integer (e.g. a
  // PRAGMA); nullopt when there is no row.
  core::Result<std::optional<std::int64_t>> QueryInt(std::string_view sql);
  // The same for text; collects every row's first column joined by "\n".
  core::Result<std::string> QueryText(std::string_view sql);

  std::int64_t LastInsertRowId() const;
  // Writes `pieces`, in order from offset 0, into the blob in `column` of
  // `table`'s row `rowid` (bound with BindZeroBlob to their total size), a
  // piece at a time: the blob is never one buffer in memory.
  core::Status WriteBlob(const char* table, const char* column, std::int64_t rowid,
                         const std::vector<std::string>& pieces);
  // Rows changed by the last INSERT/UPDATE/DELETE (cascades not counted).
  int Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* get() const { return handle_.get(); }

 private:
  Database(SqliteHandle handle, std::string path) : handle_(std::move(handle)), path_(std::move(path)) {}
  core::Error LastError(std::string_view what) const;

  SqliteHandle handle_;
  std::string path_;
};

// Reads one blob a piece at a time, so that a large value is never one
// buffer in memory (SQLite's column functions would build it whole).
//   auto blob = BlobReader::Open(db, "scans", "result_json", id);
//   while (!(piece = blob.value().Next()).empty()) use(piece);
//   if (!blob.value().status().ok()) ...
class BlobReader {
 public:
  static core::Result<BlobReader> Open(Database& db, const char* table, const char* column,
                                       std::int64_t rowid);
  // The next piece (up to 64 KB, valid until the next call); empty at the
  // end or on an error, which status() then tells.
  std::string_view Next();
  const core::Status& status() const { return status_; }

 private:
  BlobReader(std::unique_ptr<sqlite3_blob, BlobDeleter> blob, std::string path);
  std::unique_ptr<sqlite3_blob, BlobDeleter> blob_;
  std::string path_;
  std::string buffer_;
  int size_ = 0;
  int offset_ = 0;
  core::Status status_;
};

// Runs statements in one transaction (BEGIN IMMEDIATE): Commit() makes them
// durable; destruction without Commit() rolls back. `db` must outlive it.
class Transaction {
 public:
  static core::Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  core::Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed or rolled back
};

}  // namespace telescreen::store
