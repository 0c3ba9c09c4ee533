#include "fetch/address_policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace telescreen::fetch {
namespace {

AddressClass C(const std::string& text) {
  AddressClass c = AddressClass::kPublic;
  EXPECT_TRUE(ClassifyAddressText(text, &c)) << text;
  return c;
}

TEST(AddressPolicyTest, ClassifiesIpv4Ranges) {
  EXPECT_EQ(C("93.184.216.34"), AddressClass::kPublic);
  EXPECT_EQ(C("8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(C("0.0.0.0"), AddressClass::kUnspecified);
  EXPECT_EQ(C("0.1.2.3"), AddressClass::kUnspecified);
  EXPECT_EQ(C("127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(C("127.255.255.254"), AddressClass::kLoopback);
  EXPECT_EQ(C("10.0.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(C("172.16.0.1"), AddressClass::kPrivate);
  EXPECT_EQ(C("172.31.255.255"), AddressClass::kPrivate);
  EXPECT_EQ(C("172.32.0.1"), AddressClass::kPublic);
  EXPECT_EQ(C("172.15.255.255"), AddressClass::kPublic);
  EXPECT_EQ(C("192.168.1.1"), AddressClass::kPrivate);
  EXPECT_EQ(C("100.64.0.1"), AddressClass::kCgnat);
  EXPECT_EQ(C("100.127.255.255"), AddressClass::kCgnat);
  EXPECT_EQ(C("100.128.0.1"), AddressClass::kPublic);
  EXPECT_EQ(C("169.254.1.1"), AddressClass::kLinkLocal);
  EXPECT_EQ(C("169.254.169.254"), AddressClass::kMetadata);
  EXPECT_EQ(C("224.0.0.1"), AddressClass::kMulticast);
  EXPECT_EQ(C("255.255.255.255"), AddressClass::kReserved);
  EXPECT_EQ(C("240.0.0.1"), AddressClass::kReserved);
  EXPECT_EQ(C("192.0.0.192"), AddressClass::kReserved);
  EXPECT_EQ(C("198.18.0.1"), AddressClass::kReserved);
}

TEST(AddressPolicyTest, ClassifiesIpv6Ranges) {
  EXPECT_EQ(C("2001:4860:4860::8888"), AddressClass::kPublic);
  EXPECT_EQ(C("::"), AddressClass::kUnspecified);
  EXPECT_EQ(C("::1"), AddressClass::kLoopback);
  EXPECT_EQ(C("fe80::1"), AddressClass::kLinkLocal);
  EXPECT_EQ(C("fec0::1"), AddressClass::kPrivate);
  EXPECT_EQ(C("fc00::1"), AddressClass::kUniqueLocal);
  EXPECT_EQ(C("fd12:3456::1"), AddressClass::kUniqueLocal);
  EXPECT_EQ(C("fd00:ec2::254"), AddressClass::kMetadata);
  EXPECT_EQ(C("ff02::1"), AddressClass::kMulticast);
}

TEST(AddressPolicyTest, ClassifiesIpv4InsideIpv6) {
  EXPECT_EQ(C("::ffff:127.0.0.1"), AddressClass::kLoopback);
  EXPECT_EQ(C("::ffff:169.254.169.254"), AddressClass::kMetadata);
  EXPECT_EQ(C("::ffff:10.1.2.3"), AddressClass::kPrivate);
  EXPECT_EQ(C("::ffff:8.8.8.8"), AddressClass::kPublic);
  EXPECT_EQ(C("::10.1.2.3"), AddressClass::kPrivate);
  EXPECT_EQ(C("64:ff9b::a9fe:a9fe"), AddressClass::kMetadata);  // NAT64 of 169.254.169.254
  EXPECT_EQ(C("2002:7f00:1::"), AddressClass::kLoopback);       // 6to4 of 127.0.0.1
  EXPECT_EQ(C("2002:0808:0808::"), AddressClass::kPublic);
}

TEST(AddressPolicyTest, NotAnAddress) {
  AddressClass c;
  EXPECT_FALSE(ClassifyAddressText("example.org", &c));
  EXPECT_FALSE(ClassifyAddressText("", &c));
  EXPECT_FALSE(ClassifyAddressText("1.2.3", &c));
}

sockaddr_in V4(const char* text) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  inet_pton(AF_INET, text, &in.sin_addr);
  return in;
}

sockaddr_in6 V6(const char* text) {
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, text, &in6.sin6_addr);
  return in6;
}

TEST(AddressPolicyTest, DefaultPolicyRefusesEverySpecialRange) {
  AddressPolicy policy;
  for (const char* a : {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.10", "100.64.1.1", "169.254.0.5",
                        "169.254.169.254", "0.0.0.0", "224.0.0.251", "255.255.255.255"}) {
    sockaddr_in in = V4(a);
    std::string why = policy.Refusal(reinterpret_cast<const sockaddr*>(&in));
    EXPECT_NE(why.find(a), std::string::npos) << a << ": " << why;
  }
  for (const char* a : {"::1", "fe80::1", "fd00::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::"}) {
    sockaddr_in6 in6 = V6(a);
    EXPECT_FALSE(policy.Refusal(reinterpret_cast<const sockaddr*>(&in6)).empty()) << a;
  }
  sockaddr_in pub = V4("93.184.216.34");
  EXPECT_EQ(policy.Refusal(reinterpret_cast<const sockaddr*>(&pub)), "");
  sockaddr_in6 pub6 = V6("2606:2800:220:1::1");
  EXPECT_EQ(policy.Refusal(reinterpret_cast<const sockaddr*>(&pub6)), "");
}

TEST(AddressPolicyTest, MetadataRefusalNamesIt) {
  AddressPolicy policy;
  sockaddr_in in = V4("169.254.169.254");
  EXPECT_NE(policy.Refusal(reinterpret_cast<const sockaddr*>(&in)).find("cloud metadata"), std::string::npos);
}

TEST(AddressPolicyTest, StartUrlAddressesAreAllowedAndOnlyThose) {
  auto start = core::Url::Parse("http://127.0.0.1:8080/me");
  ASSERT_TRUE(start.ok());
  AddressPolicy policy = AddressPolicy::ForStartUrls({start.value()});
  sockaddr_in self = V4("127.0.0.1");
  EXPECT_EQ(policy.Refusal(reinterpret_cast<const sockaddr*>(&self)), "");
  sockaddr_in other_loopback = V4("127.0.0.2");
  EXPECT_FALSE(policy.Refusal(reinterpret_cast<const sockaddr*>(&other_loopback)).empty());
  sockaddr_in metadata = V4("169.254.169.254");
  EXPECT_FALSE(policy.Refusal(reinterpret_cast<const sockaddr*>(&metadata)).empty());
  sockaddr_in lan = V4("192.168.1.1");
  EXPECT_FALSE(policy.Refusal(reinterpret_cast<const sockaddr*>(&lan)).empty());
}

TEST(AddressPolicyTest, StartUrlIpv6LiteralAllowed) {
  auto start = core::Url::Parse("http://[::1]:8080/");
  ASSERT_TRUE(start.ok());
  AddressPolicy policy = AddressPolicy::ForStartUrls({start.value()});
  sockaddr_in6 self = V6("::1");
  EXPECT_EQ(policy.Refusal(reinterpret_cast<const sockaddr*>(&self)), "");
  EXPECT_EQ(policy.RefusalForText("::1"), "");
  EXPECT_FALSE(policy.RefusalForText("fd00:ec2::254").empty());
}

TEST(AddressPolicyTest, LocalhostNameResolvesIntoTheAllowList) {
  auto start = core::Url::Parse("http://localhost:8080/");
  ASSERT_TRUE(start.ok());
  AddressPolicy policy = AddressPolicy::ForStartUrls({start.value()});
  EXPECT_EQ(policy.RefusalForText("127.0.0.1"), "");  // /etc/hosts, no network
  EXPECT_FALSE(policy.RefusalForText("10.0.0.1").empty());
}

TEST(AddressPolicyTest, RefusalForTextRejectsNonAddresses) {
  AddressPolicy policy;
  EXPECT_FALSE(policy.RefusalForText("metadata.google.internal").empty());
  EXPECT_EQ(policy.RefusalForText("8.8.8.8"), "");
}

}  // namespace
}  // namespace telescreen::fetch
