// AddressPolicy: decides which IP addresses the crawler may connect to, so a
// hostile page cannot make a cron job fetch 169.254.169.254 or a service on
// the user's LAN. Checked on the address curl is about to connect to (after
// DNS, after every redirect), so DNS rebinding cannot slip past it.
//
//   AddressPolicy policy = AddressPolicy::ForStartUrls(start_urls);
//   if (auto why = policy.Refusal(sockaddr); !why.empty()) ... refuse ...
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/url.h"

struct sockaddr;

namespace telescreen::fetch {

// The kind of an IP address, as far as crawling is concerned.
enum class AddressClass {
  kPublic,
  kUnspecified,  // 0.0.0.0/8, ::
  kLoopback,     // 127.0.0.0/8, ::1
  kPrivate,      // 10/8, 172.16/12, 192.168/16 (RFC 1918), fec0::/10
  kCgnat,        // 100.64.0.0/10 (RFC 6598)
  kLinkLocal,    // 169.254/16, fe80::/10
  kUniqueLocal,  // fc00::/7 (RFC 4193)
  kMetadata,     // 169.254.169.254, fd00:ec2::254 (cloud instance metadata)
  kMulticast,    // 224/4, ff00::/8
  kReserved,     // 240/4, 255.255.255.255, 192.0.0/24, 198.18/15
};

// Human-readable name: "loopback", "private", "cloud metadata", ...
const char* AddressClassName(AddressClass c);

// Classifies a 4- or 16-byte address in network order. IPv4-mapped
// (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and
// 6to4 (2002::/16) IPv6 addresses are classified by the IPv4 address inside.
AddressClass ClassifyIpv4(const unsigned char (&a)[4]);
AddressClass ClassifyIpv6(const unsigned char (&a)[16]);
// Classifies a socket address (AF_INET or AF_INET6); other families are
// kReserved.
AddressClass ClassifySockaddr(const sockaddr* address);
// Classifies a textual address ("10.0.0.1", "fd00::1"); false if `text` is
// not an IP address.
bool ClassifyAddressText(std::string_view text, AddressClass* out);

// Canonical text of a socket address ("127.0.0.1", "::1"); empty if unknown.
std::string AddressText(const sockaddr* address);

class AddressPolicy {
 public:
  // Allows public addresses only.
  AddressPolicy() = default;

  // Allows public addresses, plus every address that a start URL's host is
  // or resolves to (getaddrinfo), so a scan of one's own LAN or loopback
  // site works while links cannot wander to other special addresses.
  static AddressPolicy ForStartUrls(const std::vector<core::Url>& start);

  // Also allows exactly this address (canonical text, as AddressText()).
  void Allow(std::string address_text);

  // Empty if connecting to `address` is allowed; otherwise the reason,
  // e.g. "refused to connect to 169.254.169.254 (cloud metadata address)".
  std::string Refusal(const sockaddr* address) const;
  std::string RefusalForText(std::string_view address_text) const;

 private:
  std::set<std::string> allowed_;
};

}  // namespace telescreen::fetch
