#include "store/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <climits>

namespace telescreen::store {

using core::ErrorCode;
using core::MakeError;

void SqliteDeleter::operator()(sqlite3* db) const {
  // Every statement is owned by a StatementHandle and finalised before its
  // Database, so a plain close succeeds; close_v2 guards against a leak.
  sqlite3_close_v2(db);
}

void StatementDeleter::operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }

namespace {

int ClampLength(std::size_t n) {
  return n > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
}

}  // namespace

void Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(handle_.get(), index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindDouble(int index, double value) {
  int rc = sqlite3_bind_double(handle_.get(), index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::Bind(int index, std::string_view text) {
  // A null pointer would bind SQL NULL; empty text is "" (BindOptional and
  // BindNull say NULL).
  int rc = sqlite3_bind_text(handle_.get(), index, text.data() ? text.data() : "", ClampLength(text.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindBlob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob(handle_.get(), index, bytes.data(), ClampLength(bytes.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindZeroBlob(int index, std::size_t size) {
  int rc = sqlite3_bind_zeroblob64(handle_.get(), index, size);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(handle_.get(), index);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindOptional(int index, std::string_view text) {
  if (text.empty()) {
    BindNull(index);
  } else {
    Bind(index, text);
  }
}

core::Result<StepResult> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(handle_.get());
  if (bind_error_ != 0) {
    return MakeError(ErrorCode::kInternal, std::string("sqlite bind failed: ") + sqlite3_errstr(bind_error_));
  }
  int rc = sqlite3_step(handle_.get());
  if (rc == SQLITE_ROW) return StepResult::kRow;
  if (rc == SQLITE_DONE) return StepResult::kDone;
  return MakeError(ErrorCode::kIo, std::string(sqlite3_errmsg(db)) + " (" + sqlite3_errstr(rc) +
                                       ") in: " + sqlite3_sql(handle_.get()));
}

core::Status Statement::Run() {
  for (;;) {
    auto step = Step();
    if (!step.ok()) return step.error();
    if (step.value() == StepResult::kDone) return {};
  }
}

void Statement::Reset() {
  sqlite3_reset(handle_.get());
  sqlite3_clear_bindings(handle_.get());
  bind_error_ = 0;
}

std::int64_t Statement::ColumnInt64(int column) const { return sqlite3_column_int64(handle_.get(), column); }

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(handle_.get(), column);
  if (text == nullptr) return {};
  int n = sqlite3_column_bytes(handle_.get(), column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n));
}

core::Result<Database> Database::Open(const std::string& path, OpenMode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case OpenMode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case OpenMode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case OpenMode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle handle(raw);  // owns it even when the open failed
  if (rc != SQLITE_OK) {
    std::string why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return MakeError(rc == SQLITE_CANTOPEN ? ErrorCode::kNotFound : ErrorCode::kIo,
                     path + ": cannot open history database: " + why);
  }
  sqlite3_extended_result_codes(raw, 1);
  // Another process may hold the write lock for a moment (a reader during a
  // checkpoint); wait rather than fail. Writers are serialised by the lock
  // file (file_lock.h), so this only covers short overlaps.
  sqlite3_busy_timeout(raw, 10000);
  return Database(std::move(handle), path);
}

core::Error Database::LastError(std::string_view what) const {
  return MakeError(ErrorCode::kIo, path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(handle_.get()));
}

void BlobDeleter::operator()(sqlite3_blob* blob) const { sqlite3_blob_close(blob); }

core::Result<BlobReader> BlobReader::Open(Database& db, const char* table, const char* column,
                                          std::int64_t rowid) {
  sqlite3_blob* raw = nullptr;
  int rc = sqlite3_blob_open(db.get(), "main", table, column, rowid, 0, &raw);
  std::unique_ptr<sqlite3_blob, BlobDeleter> blob(raw);
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kIo, db.path() + ": opening a blob for reading: " + sqlite3_errmsg(db.get()));
  }
  return BlobReader(std::move(blob), db.path());
}

BlobReader::BlobReader(std::unique_ptr<sqlite3_blob, BlobDeleter> blob, std::string path)
    : blob_(std::move(blob)), path_(std::move(path)), size_(sqlite3_blob_bytes(blob_.get())) {}

std::string_view BlobReader::Next() {
  constexpr int kPiece = 64 * 1024;
  if (!status_.ok() || offset_ >= size_) return {};
  const int n = std::min(kPiece, size_ - offset_);
  buffer_.resize(static_cast<std::size_t>(n));
  int rc = sqlite3_blob_read(blob_.get(), buffer_.data(), n, offset_);
  if (rc != SQLITE_OK) {
    status_ = MakeError(ErrorCode::kIo, path_ + ": reading a blob: " + sqlite3_errstr(rc));
    return {};
  }
  offset_ += n;
  return buffer_;
}

core::Status Database::WriteBlob(const char* table, const char* column, std::int64_t rowid,
                                 const std::vector<std::string>& pieces) {
  sqlite3_blob* blob = nullptr;
  if (sqlite3_blob_open(handle_.get(), "main", table, column, rowid, 1, &blob) != SQLITE_OK) {
    sqlite3_blob_close(blob);  // a no-op on null; frees a half-opened handle
    return LastError("opening a blob for writing");
  }
  std::size_t offset = 0;
  int rc = SQLITE_OK;
  for (const auto& piece : pieces) {
    if (piece.size() > static_cast<std::size_t>(INT_MAX) ||
        offset > static_cast<std::size_t>(INT_MAX) - piece.size()) {
      rc = SQLITE_TOOBIG;
      break;
    }
    rc = sqlite3_blob_write(blob, piece.data(), static_cast<int>(piece.size()), static_cast<int>(offset));
    if (rc != SQLITE_OK) break;
    offset += piece.size();
  }
  if (rc != SQLITE_OK) {
    core::Error error = LastError("writing a blob");
    sqlite3_blob_close(blob);
    return error;
  }
  if (sqlite3_blob_close(blob) != SQLITE_OK) return LastError("writing a blob");
  return {};
}

core::Status Database::Exec(std::string_view sql) {
  std::string owned(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(handle_.get(), owned.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string why = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return MakeError(ErrorCode::kIo, path_ + ": " + why);
  }
  return {};
}

core::Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(handle_.get(), sql.data(), ClampLength(sql.size()), &raw, nullptr);
  StatementHandle handle(raw);
  if (rc != SQLITE_OK) return LastError("prepare failed");
  return Statement(std::move(handle));
}

core::Result<std::optional<std::int64_t>> Database::QueryInt(std::string_view sql) {
  auto st = Prepare(sql);
  if (!st.ok()) return st.error();
  auto step = st.value().Step();
  if (!step.ok()) return step.error().WithContext(path_);
  if (step.value() == StepResult::kDone) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(st.value().ColumnInt64(0));
}

core::Result<std::string> Database::QueryText(std::string_view sql) {
  auto st = Prepare(sql);
  if (!st.ok()) return st.error();
  std::string out;
  for (;;) {
    auto step = st.value().Step();
    if (!step.ok()) return step.error().WithContext(path_);
    if (step.value() == StepResult::kDone) break;
    if (!out.empty()) out += '\n';
    out += st.value().ColumnText(0);
  }
  return out;
}

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(handle_.get()); }

int Database::Changes() const { return sqlite3_changes(handle_.get()); }

core::Result<Transaction> Transaction::Begin(Database& db) {
  auto status = db.Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return status.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) {
    // Nothing to report to: the caller already has the error that made it
    // give up. ROLLBACK fails only if SQLite rolled back by itself already.
    (void)db_->Exec("ROLLBACK");
  }
}

core::Status Transaction::Commit() {
  Database* db = db_;
  auto status = db->Exec("COMMIT");
  if (!status.ok()) return status;  // destructor rolls back
  db_ = nullptr;
  return {};
}

}  // namespace telescreen::store
