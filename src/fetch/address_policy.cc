#include "fetch/address_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "core/enum_names.h"

namespace telescreen::fetch {
namespace {

bool InV4(const unsigned char (&a)[4], unsigned char b0, unsigned char b1, int prefix_bits) {
  std::uint32_t addr =
      (std::uint32_t{a[0]} << 24) | (std::uint32_t{a[1]} << 16) | (std::uint32_t{a[2]} << 8) | a[3];
  std::uint32_t net = (std::uint32_t{b0} << 24) | (std::uint32_t{b1} << 16);
  std::uint32_t mask = prefix_bits == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_bits);
  return (addr & mask) == (net & mask);
}

bool AllZero(const unsigned char* p, int n) {
  for (int i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

constexpr core::EnumName<AddressClass> kAddressClasses[] = {
    {AddressClass::kPublic, "public"},
    {AddressClass::kUnspecified, "unspecified"},
    {AddressClass::kLoopback, "loopback"},
    {AddressClass::kPrivate, "private"},
    {AddressClass::kCgnat, "carrier-grade NAT"},
    {AddressClass::kLinkLocal, "link-local"},
    {AddressClass::kUniqueLocal, "unique-local"},
    {AddressClass::kMetadata, "cloud metadata"},
    {AddressClass::kMulticast, "multicast"},
    {AddressClass::kReserved, "reserved"},
};

const char* AddressClassName(AddressClass c) { return core::NameIn(kAddressClasses, c, "unknown"); }

AddressClass ClassifyIpv4(const unsigned char (&a)[4]) {
  if (a[0] == 169 && a[1] == 254 && a[2] == 169 && a[3] == 254) {
    return AddressClass::kMetadata;
  }
  if (InV4(a, 0, 0, 8)) return AddressClass::kUnspecified;
  if (InV4(a, 127, 0, 8)) return AddressClass::kLoopback;
  if (InV4(a, 10, 0, 8) || InV4(a, 172, 16, 12) || InV4(a, 192, 168, 16)) {
    return AddressClass::kPrivate;
  }
  if (InV4(a, 100, 64, 10)) return AddressClass::kCgnat;
  if (InV4(a, 169, 254, 16)) return AddressClass::kLinkLocal;
  if (InV4(a, 224, 0, 4)) return AddressClass::kMulticast;
  // 240/4 includes 255.255.255.255; 192.0.0.0/24 holds protocol assignments
  // (and some clouds' metadata services); 198.18/15 is for benchmarks.
  if (InV4(a, 240, 0, 4) || (a[0] == 192 && a[1] == 0 && a[2] == 0) || InV4(a, 198, 18, 15)) {
    return AddressClass::kReserved;
  }
  return AddressClass::kPublic;
}

AddressClass ClassifyIpv6(const unsigned char (&a)[16]) {
  static const unsigned char kMetadata[16] = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0,    0,
                                              0,    0,    0,    0,    0, 0, 0x02, 0x54};
  if (std::memcmp(a, kMetadata, 16) == 0) return AddressClass::kMetadata;
  unsigned char v4[4];
  auto embedded = [&](int offset) {
    std::memcpy(v4, a + offset, 4);
    const unsigned char(&ref)[4] = v4;
    return ClassifyIpv4(ref);
  };
  if (AllZero(a, 15)) {
    return a[15] == 1   ? AddressClass::kLoopback
           : a[15] == 0 ? AddressClass::kUnspecified
                        : AddressClass::kReserved;
  }
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible form).
  if (AllZero(a, 10) && ((a[10] == 0xff && a[11] == 0xff) || (a[10] == 0 && a[11] == 0))) {
    return embedded(12);
  }
  // 64:ff9b::/96, NAT64 (RFC 6052).
  static const unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(a, kNat64, 12) == 0) return embedded(12);
  // 2002::/16, 6to4 (RFC 3056): the IPv4 address follows the prefix.
  if (a[0] == 0x20 && a[1] == 0x02) return embedded(2);
  if ((a[0] & 0xfe) == 0xfc) return AddressClass::kUniqueLocal;
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return AddressClass::kLinkLocal;
  if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return AddressClass::kPrivate;  // site-local
  if (a[0] == 0xff) return AddressClass::kMulticast;
  return AddressClass::kPublic;
}

AddressClass ClassifySockaddr(const sockaddr* address) {
  if (address == nullptr) return AddressClass::kReserved;
  if (address->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, address, sizeof in);
    unsigned char a[4];
    std::memcpy(a, &in.sin_addr, 4);
    return ClassifyIpv4(a);
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, address, sizeof in6);
    unsigned char a[16];
    std::memcpy(a, &in6.sin6_addr, 16);
    return ClassifyIpv6(a);
  }
  return AddressClass::kReserved;
}

bool ClassifyAddressText(std::string_view text, AddressClass* out) {
  std::string s(text);
  unsigned char a4[4];
  unsigned char a6[16];
  if (inet_pton(AF_INET, s.c_str(), a4) == 1) {
    *out = ClassifyIpv4(a4);
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), a6) == 1) {
    *out = ClassifyIpv6(a6);
    return true;
  }
  return false;
}

std::string AddressText(const sockaddr* address) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (address == nullptr) return "";
  if (address->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, address, sizeof in);
    if (inet_ntop(AF_INET, &in.sin_addr, buf, sizeof buf) == nullptr) return "";
  } else if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, address, sizeof in6);
    if (inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof buf) == nullptr) return "";
  } else {
    return "";
  }
  return buf;
}

AddressPolicy AddressPolicy::ForStartUrls(const std::vector<core::Url>& start) {
  AddressPolicy policy;
  for (const core::Url& url : start) {
    AddressClass c;
    if (ClassifyAddressText(url.host(), &c)) {
      // Canonicalise the literal ("::0001" -> "::1") by a round trip.
      addrinfo hints{};
      hints.ai_flags = AI_NUMERICHOST;
      addrinfo* res = nullptr;
      if (getaddrinfo(url.host().c_str(), nullptr, &hints, &res) == 0) {
        for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
          policy.Allow(AddressText(p->ai_addr));
        }
        freeaddrinfo(res);
      }
      continue;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(url.host().c_str(), nullptr, &hints, &res) != 0) continue;
    for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
      if (ClassifySockaddr(p->ai_addr) != AddressClass::kPublic) {
        policy.Allow(AddressText(p->ai_addr));
      }
    }
    freeaddrinfo(res);
  }
  return policy;
}

void AddressPolicy::Allow(std::string address_text) {
  if (!address_text.empty()) allowed_.insert(std::move(address_text));
}

std::string AddressPolicy::Refusal(const sockaddr* address) const {
  AddressClass c = ClassifySockaddr(address);
  if (c == AddressClass::kPublic) return "";
  std::string text = AddressText(address);
  if (!text.empty() && allowed_.count(text) != 0) return "";
  return "refused to connect to " + (text.empty() ? std::string("an unknown address") : text) + " (" +
         AddressClassName(c) + " address; only a start URL may lead there)";
}

std::string AddressPolicy::RefusalForText(std::string_view address_text) const {
  std::string text(address_text);
  sockaddr_in in{};
  sockaddr_in6 in6{};
  if (inet_pton(AF_INET, text.c_str(), &in.sin_addr) == 1) {
    in.sin_family = AF_INET;
    return Refusal(reinterpret_cast<const sockaddr*>(&in));
  }
  if (inet_pton(AF_INET6, text.c_str(), &in6.sin6_addr) == 1) {
    in6.sin6_family = AF_INET6;
    return Refusal(reinterpret_cast<const sockaddr*>(&in6));
  }
  return "refused to connect to '" + text + "' (not an IP address)";
}

}  // namespace telescreen::fetch
