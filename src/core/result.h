// Result<T>: the value of an operation that can fail in an expected way
// (network, bad input, I/O). Errors are values, never exceptions.
//
//   Result<Url> url = Url::Parse(text);
//   if (!url.ok()) return url.error();          // propagate
//   Use(url.value());
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace telescreen::core {

enum class ErrorCode {
  kInvalidArgument,  // the user's input is wrong (maps to exit code 2)
  kNotFound,         // a named file or resource does not exist (exit 2)
  kParse,            // untrusted input could not be understood
  kIo,               // the file system failed us
  kNetwork,          // a transfer failed
  kInternal,         // a bug or an unexpected state
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // leads with context: "patterns/x.json: line 3: ..."

  // Returns a copy whose message is "context: message".
  Error WithContext(const std::string& context) const { return Error{code, context + ": " + message}; }
};

inline Error MakeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  // REQUIRES: ok()
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  // REQUIRES: !ok()
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  // REQUIRES: !ok()
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace telescreen::core
