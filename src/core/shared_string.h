// SharedString: an immutable string whose copies share one buffer. Copying
// one costs a reference count, not an allocation and the characters.
//
// For strings that are copied far more often than built: a piece of evidence
// (page URL, extractor, excerpt) is cited by its fact, by the fact's finding
// and by summary findings, so a scan of thousands of pages would otherwise
// hold each excerpt three or four times over.
//
//   SharedString a = std::string("https://a.example/");
//   SharedString b = a;                 // same buffer
//   std::string_view v = b;             // converts implicitly
//   if (b == "https://a.example/") ...  // compares by value
//
// Thread-safe like std::shared_ptr: copies may be made and dropped on any
// thread; the characters never change.
#pragma once

#include <atomic>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace telescreen::core {

class SharedString {
 public:
  SharedString() noexcept = default;
  SharedString(std::string_view s);  // NOLINT(google-explicit-constructor)
  SharedString(const std::string& s) : SharedString(std::string_view(s)) {}  // NOLINT
  SharedString(const char* s) : SharedString(std::string_view(s)) {}         // NOLINT
  SharedString(const SharedString& other) noexcept : rep_(other.rep_) { Ref(); }
  SharedString(SharedString&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  SharedString& operator=(const SharedString& other) noexcept {
    SharedString copy(other);
    Swap(copy);
    return *this;
  }
  SharedString& operator=(SharedString&& other) noexcept {
    SharedString moved(std::move(other));
    Swap(moved);
    return *this;
  }
  ~SharedString() { Unref(); }

  // Never a null data pointer, even when empty: C APIs (SQLite binds a null
  // pointer as NULL) get "".
  std::string_view view() const noexcept {
    return rep_ ? std::string_view(Chars(), rep_->size) : std::string_view("");
  }
  operator std::string_view() const noexcept { return view(); }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string(view()); }

  const char* data() const noexcept { return rep_ ? Chars() : ""; }
  const char* c_str() const noexcept { return data(); }  // always NUL-terminated
  std::size_t size() const noexcept { return rep_ ? rep_->size : 0; }
  bool empty() const noexcept { return rep_ == nullptr; }
  std::string_view::const_iterator begin() const noexcept { return view().begin(); }
  std::string_view::const_iterator end() const noexcept { return view().end(); }
  bool starts_with(std::string_view prefix) const noexcept { return view().starts_with(prefix); }
  std::size_t find(std::string_view s, std::size_t pos = 0) const noexcept { return view().find(s, pos); }
  std::size_t rfind(std::string_view s, std::size_t pos = std::string_view::npos) const noexcept {
    return view().rfind(s, pos);
  }

  // True iff both share one buffer (or both are empty).
  bool SharesWith(const SharedString& other) const noexcept { return rep_ == other.rep_; }

  friend bool operator==(const SharedString& a, const SharedString& b) noexcept {
    return a.rep_ == b.rep_ || a.view() == b.view();
  }
  friend bool operator==(const SharedString& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(const SharedString& a, const std::string& b) noexcept { return a.view() == b; }
  friend bool operator==(const SharedString& a, const char* b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(const SharedString& a, const SharedString& b) noexcept {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const SharedString& a, std::string_view b) noexcept {
    return a.view() <=> b;
  }
  friend std::strong_ordering operator<=>(const SharedString& a, const std::string& b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::strong_ordering operator<=>(const SharedString& a, const char* b) noexcept {
    return a.view() <=> std::string_view(b);
  }
  friend std::string operator+(const std::string& a, const SharedString& b) {
    return a + std::string(b.view());
  }
  friend std::string operator+(const SharedString& a, const std::string& b) {
    return std::string(a.view()) + b;
  }
  friend std::string operator+(const char* a, const SharedString& b) { return a + std::string(b.view()); }
  friend std::string operator+(const SharedString& a, const char* b) { return std::string(a.view()) + b; }
  friend std::string& operator+=(std::string& a, const SharedString& b) { return a.append(b.view()); }

 private:
  struct Rep {
    std::atomic<std::uint32_t> refs;
    std::uint32_t size;
  };  // the characters and a NUL follow
  const char* Chars() const noexcept { return reinterpret_cast<const char*>(rep_ + 1); }
  void Ref() const noexcept {
    if (rep_) rep_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void Unref() noexcept;
  void Swap(SharedString& other) noexcept { std::swap(rep_, other.rep_); }

  Rep* rep_ = nullptr;  // null: the empty string
};

std::ostream& operator<<(std::ostream& out, const SharedString& s);

}  // namespace telescreen::core

template <>
struct std::hash<telescreen::core::SharedString> {
  std::size_t operator()(const telescreen::core::SharedString& s) const noexcept {
    return std::hash<std::string_view>()(s.view());
  }
};
