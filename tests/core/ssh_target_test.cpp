#include "core/ssh_target.hpp"

#include <gtest/gtest.h>

#include <string>

namespace orch::pruner {
namespace {

std::string target_of(std::string_view host, std::string_view user = {}) {
    const Result<std::string> result = make_ssh_target(host, user);
    EXPECT_TRUE(result.has_value()) << (result ? std::string() : result.error());
    return result ? *result : std::string();
}

// The error for a refused host/user; checks it is refused and names key, value, expectation.
std::string refusal(std::string_view host, std::string_view user, std::string_view key,
                    std::string_view printed_value) {
    const Result<std::string> outcome = make_ssh_target(host, user);
    EXPECT_FALSE(outcome.has_value())
        << host << " / " << user << " -> " << (outcome ? *outcome : std::string());
    if (outcome) {
        return {};
    }
    const std::string& error = outcome.error();
    EXPECT_EQ(error.rfind(std::string(key) + " \"" + std::string(printed_value) + "\"", 0), 0U)
        << error;
    EXPECT_NE(error.find("expected"), std::string::npos) << error;
    // The message itself is one printable line.
    for (const char c : error) {
        EXPECT_GE(static_cast<unsigned char>(c), 0x20) << error;
    }
    return error;
}

std::string host_refusal(std::string_view host, std::string_view printed) {
    return refusal(host, "root", "deploy_ssh_host", printed);
}

std::string user_refusal(std::string_view user, std::string_view printed) {
    return refusal("build-host", user, "deploy_ssh_user", printed);
}

TEST(SshTarget, HostAloneOrUserAtHost) {
    EXPECT_EQ(target_of("build-host.prod"), "build-host.prod");
    EXPECT_EQ(target_of("build-host.prod", "deploy"), "deploy@build-host.prod");
    EXPECT_EQ(target_of("10.0.0.7", "root"), "root@10.0.0.7");
    EXPECT_EQ(target_of("mva154", "ci_bot.2"), "ci_bot.2@mva154");
}

TEST(SshTarget, HostAliasesFromSshConfigAreHosts) {
    EXPECT_EQ(target_of("prod_docker-1"), "prod_docker-1");
    EXPECT_EQ(target_of("PROD"), "PROD");
}

TEST(SshTarget, Ipv6Literals) {
    EXPECT_EQ(target_of("::1"), "::1");
    EXPECT_EQ(target_of("::1", "root"), "root@::1");
    // ssh does not strip brackets from a plain destination ("Could not resolve hostname [::1]").
    EXPECT_EQ(target_of("[::1]", "root"), "root@::1");
    EXPECT_EQ(target_of("fe80::1%eth0"), "fe80::1%eth0");
    EXPECT_EQ(target_of("[fe80::1%eth0]", "u"), "u@fe80::1%eth0");
    EXPECT_EQ(target_of("2001:db8::42"), "2001:db8::42");
    EXPECT_EQ(target_of("::ffff:192.0.2.1"), "::ffff:192.0.2.1");
}

TEST(SshTarget, OptionInjectionThroughHostIsRefused) {
    const std::string error = host_refusal("-oProxyCommand=touch x", "-oProxyCommand=touch x");
    EXPECT_NE(error.find("starts with '-'"), std::string::npos) << error;
    host_refusal("-p22", "-p22");
}

TEST(SshTarget, ShellInjectionThroughHostIsRefused) {
    EXPECT_NE(host_refusal("h; touch x", "h; touch x").find("';'"), std::string::npos);
    EXPECT_NE(host_refusal("$(touch x)", "$(touch x)").find("'$'"), std::string::npos);
    EXPECT_NE(host_refusal("`id`", "`id`").find("'`'"), std::string::npos);
    EXPECT_NE(host_refusal("a|b", "a|b").find("'|'"), std::string::npos);
    EXPECT_NE(host_refusal("a&b", "a&b").find("'&'"), std::string::npos);
    EXPECT_NE(host_refusal("a>b", "a>b").find("'>'"), std::string::npos);
    EXPECT_NE(host_refusal("a<b", "a<b").find("'<'"), std::string::npos);
    EXPECT_NE(host_refusal("a'b", "a'b").find("'''"), std::string::npos);
    EXPECT_NE(host_refusal("a\"b", "a\\\"b").find("'\\\"'"), std::string::npos);
    EXPECT_NE(host_refusal("a\\b", "a\\\\b").find("'\\\\'"), std::string::npos);
    host_refusal("a*", "a*");
    host_refusal("a?", "a?");
    host_refusal("a/b", "a/b");
    host_refusal("a,b", "a,b");
    host_refusal("~h", "~h");
}

TEST(SshTarget, WhitespaceAndControlCharactersInHostAreRefusedAndPrintedEscaped) {
    EXPECT_NE(host_refusal("a b", "a b").find("' '"), std::string::npos);
    EXPECT_NE(host_refusal("host\ntouch x", "host\\ntouch x").find("'\\n'"), std::string::npos);
    EXPECT_NE(host_refusal("host\tx", "host\\tx").find("'\\t'"), std::string::npos);
    EXPECT_NE(host_refusal("host\r", "host\\r").find("'\\r'"), std::string::npos);
    EXPECT_NE(host_refusal(std::string("h\0x", 3), "h\\x00x").find("'\\x00'"), std::string::npos);
    host_refusal("h\x7f", "h\\x7f");
    host_refusal("h\xc3\xa9", "h\\xc3\\xa9");  // non-ASCII names are refused, not guessed at
}

TEST(SshTarget, UserAtInHostIsRefused) {
    // "user@host" belongs in two settings; an '@' in the host would hide a second user.
    host_refusal("root@host", "root@host");
}

TEST(SshTarget, MalformedIpv6AndPortsAreRefused) {
    EXPECT_NE(host_refusal("host:22", "host:22").find("deploy_ssh_port"), std::string::npos);
    host_refusal("[host]", "[host]");
    host_refusal("[::1", "[::1");
    host_refusal("::1]", "::1]");
    host_refusal("[[::1]]", "[[::1]]");
    host_refusal("[]", "[]");
    host_refusal("fe80::1%", "fe80::1%");
    host_refusal("fe80::1%eth0%1", "fe80::1%eth0%1");
    host_refusal("host%eth0", "host%eth0");
    host_refusal("g::1", "g::1");
}

TEST(SshTarget, EmptyOrOverlongHostIsRefused) {
    EXPECT_NE(host_refusal("", "").find("empty"), std::string::npos);
    EXPECT_TRUE(make_ssh_target(std::string(255, 'a'), "").has_value());
    EXPECT_NE(host_refusal(std::string(256, 'a'), std::string(200, 'a')).find("255"),
              std::string::npos);
}

TEST(SshTarget, UserInjectionAttemptsAreRefused) {
    EXPECT_NE(user_refusal("-oProxyCommand=x", "-oProxyCommand=x").find("starts with '-'"),
              std::string::npos);
    EXPECT_NE(user_refusal("a@b", "a@b").find("'@'"), std::string::npos);
    user_refusal("root; touch x", "root; touch x");
    user_refusal("$(touch x)", "$(touch x)");
    user_refusal("`id`", "`id`");
    user_refusal("a b", "a b");
    user_refusal("a\nb", "a\\nb");
    user_refusal("a\tb", "a\\tb");
    user_refusal("a|b", "a|b");
    user_refusal("a&b", "a&b");
    user_refusal(">x", ">x");
    user_refusal("'root'", "'root'");
    user_refusal("\"root\"", "\\\"root\\\"");
    user_refusal("a:b", "a:b");
    user_refusal("a%b", "a%b");
    user_refusal(std::string(256, 'u'), std::string(200, 'u'));
}

TEST(SshTarget, HostIsCheckedBeforeUser) {
    const Result<std::string> result = make_ssh_target("bad host", "bad user");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().rfind("deploy_ssh_host", 0), 0U) << result.error();
}

TEST(SshTarget, ErrorNamesWhatIsExpected) {
    const Result<std::string> host = make_ssh_target("a;b", "");
    ASSERT_FALSE(host);
    EXPECT_NE(host.error().find("expected a host name, ssh_config Host alias or IPv4 address"),
              std::string::npos)
        << host.error();
    const Result<std::string> user = make_ssh_target("h", "a;b");
    ASSERT_FALSE(user);
    EXPECT_NE(user.error().find("expected a user name made of letters, digits and . _ -"),
              std::string::npos)
        << user.error();
}

}  // namespace
}  // namespace orch::pruner
