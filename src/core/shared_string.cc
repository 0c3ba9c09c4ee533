#include "core/shared_string.h"

#include <cstring>
#include <limits>
#include <new>
#include <ostream>
#include <stdexcept>

namespace telescreen::core {

SharedString::SharedString(std::string_view s) {
  if (s.empty()) return;
  if (s.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("SharedString: longer than 4 GiB");
  void* block = ::operator new(sizeof(Rep) + s.size() + 1);
  rep_ = new (block) Rep{{1}, static_cast<std::uint32_t>(s.size())};
  char* chars = reinterpret_cast<char*>(rep_ + 1);
  std::memcpy(chars, s.data(), s.size());
  chars[s.size()] = '\0';
}

void SharedString::Unref() noexcept {
  if (rep_ && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep_->~Rep();
    ::operator delete(rep_);
  }
  rep_ = nullptr;
}

std::ostream& operator<<(std::ostream& out, const SharedString& s) { return out << s.view(); }

}  // namespace telescreen::core
