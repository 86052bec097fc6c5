#include "http/listen_address.hpp"

#include <gtest/gtest.h>

namespace orch::host {
namespace {

ListenAddress parsed(std::string_view text) {
    const Result<ListenAddress> result = parse_listen_address(text);
    EXPECT_TRUE(result.has_value()) << text << ": " << (result ? "" : result.error());
    return result ? *result : ListenAddress{};
}

std::string error_of(std::string_view text) {
    const Result<ListenAddress> result = parse_listen_address(text);
    EXPECT_FALSE(result.has_value()) << text << " was accepted";
    return result ? std::string() : result.error();
}

TEST(ParseListenAddress, AcceptsIpv4) {
    EXPECT_EQ(parsed("127.0.0.1:8080"), (ListenAddress{"127.0.0.1", 8080}));
    EXPECT_EQ(parsed("0.0.0.0:0"), (ListenAddress{"0.0.0.0", 0}));
    EXPECT_EQ(parsed("127.0.0.1:65535").port, 65535);
}

TEST(ParseListenAddress, AcceptsBracketedIpv6) {
    EXPECT_EQ(parsed("[::1]:0"), (ListenAddress{"::1", 0}));
    EXPECT_EQ(parsed("[fe80::1:2]:9000"), (ListenAddress{"fe80::1:2", 9000}));
    EXPECT_EQ(parsed("[::ffff:127.0.0.1]:80").host, "::ffff:127.0.0.1");
}

TEST(ParseListenAddress, AcceptsHostNames) {
    EXPECT_EQ(parsed("localhost:8080"), (ListenAddress{"localhost", 8080}));
    EXPECT_EQ(parsed("my-host.example.org:1"), (ListenAddress{"my-host.example.org", 1}));
}

TEST(ParseListenAddress, RejectsWithTheValueAndTheExpectedForm) {
    const std::string error = error_of("127.0.0.1");
    EXPECT_NE(error.find("'127.0.0.1'"), std::string::npos) << error;
    EXPECT_NE(error.find("HOST:PORT"), std::string::npos) << error;
    EXPECT_NE(error.find("[::1]"), std::string::npos) << error;
}

TEST(ParseListenAddress, RejectsBadPorts) {
    EXPECT_NE(error_of("127.0.0.1:65536").find("out of range"), std::string::npos);
    EXPECT_NE(error_of("127.0.0.1:-1").find("not a number"), std::string::npos);
    EXPECT_NE(error_of("127.0.0.1:+1").find("not a number"), std::string::npos);
    EXPECT_NE(error_of("127.0.0.1:80x").find("not a number"), std::string::npos);
    EXPECT_NE(error_of("127.0.0.1:").find("no port"), std::string::npos);
    EXPECT_NE(error_of("127.0.0.1:99999999999999999999").find("not a number"), std::string::npos);
}

TEST(ParseListenAddress, RejectsBadHosts) {
    EXPECT_NE(error_of("").find("empty"), std::string::npos);
    EXPECT_NE(error_of(":8080").find("no host"), std::string::npos);
    EXPECT_NE(error_of("::1:8080").find("brackets"), std::string::npos);
    EXPECT_NE(error_of("[::1]8080").find("no ':PORT'"), std::string::npos);
    EXPECT_NE(error_of("[::1:8080").find("matching ']'"), std::string::npos);
    EXPECT_NE(error_of("[]:8080").find("not an IPv6"), std::string::npos);
    EXPECT_NE(error_of("[127.0.0.1]:8080").find("not an IPv6"), std::string::npos);
    EXPECT_NE(error_of("bad host:80").find("host name"), std::string::npos);
    EXPECT_NE(error_of("-x:80").find("host name"), std::string::npos);
}

TEST(ListenAddressToString, BracketsIpv6) {
    EXPECT_EQ((ListenAddress{"127.0.0.1", 8080}).to_string(), "127.0.0.1:8080");
    EXPECT_EQ((ListenAddress{"::1", 0}).to_string(), "[::1]:0");
    EXPECT_EQ(parsed(parsed("[::1]:17").to_string()), (ListenAddress{"::1", 17}));
}

}  // namespace
}  // namespace orch::host
