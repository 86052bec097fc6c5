// Every environment variable, valid and invalid, with an empty manifest.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_test_support.hpp"
#include "core/config.hpp"

namespace orch::pruner {
namespace {

using testing::expect_no_warnings;
using testing::expect_one_warning;
using testing::resolve_env;

ResolvedConfig with(const std::string& name, const std::string& value) {
    return resolve_env({{name, value}});
}

TEST(ConfigEnvironment, BooleansAcceptTheUsualWordsTrimmedAnyCase) {
    for (const char* name : {"ORCH_BUILD_CACHE_PRUNE_ENABLED", "ORCH_BUILD_CACHE_PRUNE_ALL"}) {
        for (const char* word : {"1", "true", "TRUE", "True", "t", "T", "yes", "Yes", "YES", "y",
                                 "Y", "on", "ON", "On", " true ", "true\n"}) {
            const ResolvedConfig r = with(name, word);
            expect_no_warnings(r);
            EXPECT_TRUE(std::string(name).ends_with("ALL") ? r.config.all : r.config.enabled)
                << name << "=" << word;
        }
        for (const char* word : {"0", "false", "False", "FALSE", "f", "F", "no", "NO", "No", "n",
                                 "N", "off", "Off", "OFF", "\toff "}) {
            const ResolvedConfig r = with(name, word);
            expect_no_warnings(r);
            EXPECT_FALSE(std::string(name).ends_with("ALL") ? r.config.all : r.config.enabled)
                << name << "=" << word;
        }
    }
}

const std::string kBoolExpected =
    "expected true or false (any case; also 1/0, t/f, yes/no, y/n, on/off)";

// Issue 8 item 4: the kill switch fails closed. Any value that is not a boolean word disables
// the task with a config error (not a warning that keeps the default "on").
TEST(ConfigEnvironment, UnreadableKillSwitchDisablesTheTask) {
    for (const char* word :
         {"garbage", "disabled", "maybe", "2", "-1", "true false", "yess", "nein", "\xe4"}) {
        const ResolvedConfig r = with("ORCH_BUILD_CACHE_PRUNE_ENABLED", word);
        EXPECT_FALSE(r.config.enabled) << word;
        ASSERT_TRUE(r.error.has_value()) << word;
        EXPECT_EQ(r.error->rfind("environment ORCH_BUILD_CACHE_PRUNE_ENABLED: invalid value \"", 0),
                  0U)
            << *r.error;
        EXPECT_NE(r.error->find(kBoolExpected), std::string::npos) << *r.error;
        EXPECT_NE(r.error->find("the task is disabled"), std::string::npos) << *r.error;
        expect_no_warnings(r);
    }
    EXPECT_FALSE(with("ORCH_BUILD_CACHE_PRUNE_ENABLED", "yes").error.has_value());
}

// The original stripped host and user; inner whitespace stays an invalid target (ssh_target).
TEST(ConfigEnvironment, HostAndUserAreStrippedWithAWarning) {
    const ResolvedConfig r =
        resolve_env({{"ORCH_DEPLOY_SSH_HOST", "h1 "}, {"ORCH_DEPLOY_SSH_USER", "\tdeploy\n"}});
    EXPECT_EQ(r.config.ssh_host, "h1");
    EXPECT_EQ(r.config.ssh_user, "deploy");
    ASSERT_EQ(r.warnings.size(), 2U) << testing::all_warnings(r);
    EXPECT_EQ(r.warnings[0],
              "environment ORCH_DEPLOY_SSH_HOST: value \"h1 \" has surrounding whitespace, which "
              "was removed; using \"h1\"");
    EXPECT_EQ(r.warnings[1].rfind("environment ORCH_DEPLOY_SSH_USER: value \"\\tdeploy\\n\"", 0),
              0U)
        << r.warnings[1];
    const ResolvedConfig inner = with("ORCH_DEPLOY_SSH_HOST", " h 1 ");
    EXPECT_EQ(inner.config.ssh_host, "h 1");  // make_ssh_target refuses it
    const ResolvedConfig clean = with("ORCH_DEPLOY_SSH_HOST", "h1");
    expect_no_warnings(clean);
}

TEST(ConfigEnvironment, WholeNumbers) {
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "3600").config.interval_s, 3600);
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", " 3600\r\n").config.interval_s, 3600);
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "31536000").config.interval_s, 31536000);
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "45").config.timeout_s, 45);
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "86400").config.timeout_s, 86400);
    EXPECT_EQ(with("ORCH_DEPLOY_SSH_PORT", "2222").config.ssh_port, 2222);
    EXPECT_EQ(with("ORCH_DEPLOY_SSH_PORT", "65535").config.ssh_port, 65535);
    EXPECT_EQ(with("ORCH_DEPLOY_SSH_PORT", "1").config.ssh_port, 1);
    EXPECT_EQ(with("ORCH_DEPLOY_SSH_PORT", "0022").config.ssh_port, 22);
}

TEST(ConfigEnvironment, NotifyMinGb) {
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "1.5").config.notify_min_gb, 1.5);
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "0").config.notify_min_gb, 0.0);
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "10").config.notify_min_gb, 10.0);
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", " 2 ").config.notify_min_gb, 2.0);
}

TEST(ConfigEnvironment, Until) {
    const ResolvedConfig r = with("ORCH_BUILD_CACHE_PRUNE_UNTIL", "2w");
    expect_no_warnings(r);
    EXPECT_EQ(r.config.until_text, "2w");
    EXPECT_EQ(r.config.until, "336h");
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_UNTIL", "3600").config.until, "3600s");
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_UNTIL", "1.5h").config.until, "1.5h");
    EXPECT_EQ(with("ORCH_BUILD_CACHE_PRUNE_UNTIL", "300ms").config.until, "300ms");
}

TEST(ConfigEnvironment, SshStringsAndFiles) {
    const ResolvedConfig r = resolve_env({{"ORCH_DEPLOY_SSH_HOST", "fe80::1%eth0"},
                                          {"ORCH_DEPLOY_SSH_USER", "deploy"},
                                          {"ORCH_DEPLOY_SSH_IDENTITY_FILE", "/run/secrets/key"},
                                          {"ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE", "/etc/kh"}});
    expect_no_warnings(r);
    EXPECT_EQ(r.config.ssh_host, "fe80::1%eth0");
    EXPECT_EQ(r.config.ssh_user, "deploy");
    EXPECT_EQ(r.config.ssh_identity_file, "/run/secrets/key");
    EXPECT_EQ(r.config.ssh_known_hosts_file, "/etc/kh");
}

TEST(ConfigEnvironment, StrictHostKey) {
    EXPECT_EQ(with("ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "yes").config.strict_host_key,
              StrictHostKey::kYes);
    EXPECT_EQ(with("ORCH_DEPLOY_SSH_STRICT_HOST_KEY", " Accept-New ").config.strict_host_key,
              StrictHostKey::kAcceptNew);
    expect_no_warnings(with("ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "yes"));
    const ResolvedConfig no = with("ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "NO");
    EXPECT_EQ(no.config.strict_host_key, StrictHostKey::kNo);
    expect_one_warning(no,
                       "StrictHostKeyChecking=no (set by environment "
                       "ORCH_DEPLOY_SSH_STRICT_HOST_KEY): the docker host's key is not verified",
                       {"prefer accept-new or yes"});
}

TEST(ConfigEnvironment, EmptyValueMeansNotSet) {
    for (const char* name :
         {"ORCH_BUILD_CACHE_PRUNE_ENABLED", "ORCH_BUILD_CACHE_PRUNE_INTERVAL_S",
          "ORCH_BUILD_CACHE_PRUNE_UNTIL", "ORCH_BUILD_CACHE_PRUNE_ALL",
          "ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB",
          "ORCH_DEPLOY_SSH_HOST", "ORCH_DEPLOY_SSH_USER", "ORCH_DEPLOY_SSH_PORT",
          "ORCH_DEPLOY_SSH_IDENTITY_FILE", "ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE",
          "ORCH_DEPLOY_SSH_STRICT_HOST_KEY"}) {
        for (const char* value : {"", " ", "\t\r\n"}) {
            const ResolvedConfig r = with(name, value);
            expect_no_warnings(r);
            EXPECT_EQ(r.config, PrunerConfig{}) << name;
        }
    }
}

TEST(ConfigEnvironment, MisspeltOwnVariablesAreWarnedAbout) {
    const ResolvedConfig r = resolve_env(
        {{"ORCH_BUILD_CACHE_PRUNE_INTERVAL", "60"}, {"ORCH_BUILD_CACHE_PRUNE_UNTIL", "1h"}});
    EXPECT_EQ(r.config.interval_s, 21600);
    EXPECT_EQ(r.config.until, "1h");
    expect_one_warning(r, "environment ORCH_BUILD_CACHE_PRUNE_INTERVAL is not a known setting",
                       {"ignored"});
}

struct InvalidCase {
    std::string name;
    std::string value;
    std::string expected;  // a fragment of "what was expected"
    std::string fallback;  // "using ..." text
};

class ConfigEnvironmentInvalid : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(ConfigEnvironmentInvalid, KeepsTheDefaultAndWarns) {
    const InvalidCase& c = GetParam();
    const ResolvedConfig r = with(c.name, c.value);
    EXPECT_EQ(r.config, PrunerConfig{}) << c.name << "=" << c.value;
    // The value is printed quoted and escaped (see quote_for_message).
    std::string shown = "\"";
    for (const char ch : c.value) {
        shown += ch == '\n' ? std::string("\\n") : std::string(1, ch);
    }
    shown += "\"";
    expect_one_warning(r, "environment " + c.name + ": invalid value " + shown + ": ",
                       {c.expected, "; using " + c.fallback + " (the default)"});
}

const std::string kBool = "expected true or false (any case; also 1/0, t/f, yes/no, y/n, on/off)";
const std::string kInterval = "expected a whole number of seconds from 1 to 31536000 (365 days)";
const std::string kTimeout = "expected a whole number of seconds from 1 to 86400 (1 day)";
const std::string kNotify = "expected a number of GB >= 0 (0 turns notifications off)";
const std::string kUntil =
    "expected a Go duration such as 24h, 90m or 1h30m, whole days/weeks such as 7d or 2w, or "
    "whole seconds such as 3600";
const std::string kPort = "expected a whole number from 1 to 65535";
const std::string kPath = "expected a file path without whitespace, quotes, backslashes";
const std::string kStrict = "expected accept-new, yes or no";

INSTANTIATE_TEST_SUITE_P(
    EveryVariable, ConfigEnvironmentInvalid,
    ::testing::Values(
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "abc", kInterval, "21600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "0", kInterval, "21600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "-60", kInterval, "21600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "1.5", kInterval, "21600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "60s", kInterval, "21600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "31536001", kInterval, "21600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "9999999999999999999999", kInterval,
                    "21600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "7x", kUntil, "\"24h\""},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "0", kUntil, "\"24h\""},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "-24h", kUntil, "\"24h\""},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "24h\n", "whitespace", "\"24h\""},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "$(reboot)", "not allowed", "\"24h\""},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_UNTIL", "99999999h", "maximum", "\"24h\""},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_ALL", "nope", kBool, "false"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "0", kTimeout, "600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "-1", kTimeout, "600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "86401", kTimeout, "600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "10m", kTimeout, "600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S", "2.5", kTimeout, "600"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "-1", kNotify, "0"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "lots", kNotify, "0"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "nan", kNotify, "0"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "inf", kNotify, "0"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "1e999", kNotify, "0"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB", "1GB", kNotify, "0"},
        InvalidCase{"ORCH_DEPLOY_SSH_PORT", "0", kPort, "ssh's default port"},
        InvalidCase{"ORCH_DEPLOY_SSH_PORT", "65536", kPort, "ssh's default port"},
        InvalidCase{"ORCH_DEPLOY_SSH_PORT", "-1", kPort, "ssh's default port"},
        InvalidCase{"ORCH_DEPLOY_SSH_PORT", "ssh", kPort, "ssh's default port"},
        InvalidCase{"ORCH_DEPLOY_SSH_PORT", "22.0", kPort, "ssh's default port"},
        InvalidCase{"ORCH_DEPLOY_SSH_IDENTITY_FILE", "/my keys/id", kPath, "ssh's default keys"},
        InvalidCase{"ORCH_DEPLOY_SSH_IDENTITY_FILE", "/k\n", kPath, "ssh's default keys"},
        InvalidCase{"ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE", "/kh 'x'", kPath,
                    "ssh's default known_hosts files"},
        InvalidCase{"ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "off", kStrict, "accept-new"},
        InvalidCase{"ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "false", kStrict, "accept-new"},
        InvalidCase{"ORCH_DEPLOY_SSH_STRICT_HOST_KEY", "accept new", kStrict, "accept-new"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "101%", "cannot exceed 100%", "10%"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_MAX_CACHE", "-1GB", "a sign is not allowed", "off"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_RESERVED", "1.5", "needs a unit", "off"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S", "4",
                    "expected a whole number of seconds from 5 to 86400 (1 day)", "300"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_DRY_RUN", "maybe", kBool, "false"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_PARALLELISM", "65",
                    "expected a whole number from 1 to 64", "4"},
        InvalidCase{"ORCH_BUILD_CACHE_PRUNE_STAGGER_S", "-1",
                    "expected a whole number of seconds from 0 to 31536000 (365 days)", "0"}));

}  // namespace
}  // namespace orch::pruner
