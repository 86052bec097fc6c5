// Every key of the manifest `config` object, valid and invalid, with nothing in the environment.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config_test_support.hpp"
#include "core/config.hpp"

namespace orch::pruner {
namespace {

using testing::expect_no_warnings;
using testing::expect_one_warning;
using testing::resolve;

ResolvedConfig with(const std::string& key, const std::string& json_value) {
    return resolve("{\"" + key + "\": " + json_value + "}");
}

TEST(ConfigManifest, Enabled) {
    for (const char* value : {"false", "\"false\"", "\"FALSE\"", "\" no \"", "\"off\"", "\"0\"",
                              "0", "\"f\"", "\"N\"", "\"n\"", "\"Off\""}) {
        const ResolvedConfig r = with("build_cache_prune_enabled", value);
        expect_no_warnings(r);
        EXPECT_FALSE(r.config.enabled) << value;
    }
    for (const char* value :
         {"true", "\"true\"", "\"Yes\"", "\"ON\"", "\"1\"", "1", "\"t\"", "\"Y\"", "\"y\""}) {
        const ResolvedConfig on = with("build_cache_prune_enabled", value);
        expect_no_warnings(on);
        EXPECT_TRUE(on.config.enabled) << value;
    }
}

const std::string kBoolExpected =
    "expected true or false (any case; also 1/0, t/f, yes/no, y/n, on/off)";

// Issue 8 item 4: an unreadable kill switch disables the task with a config error.
TEST(ConfigManifest, UnreadableKillSwitchDisablesTheTask) {
    for (const auto& [value, shown] :
         std::vector<std::pair<std::string, std::string>>{{"\"maybe\"", "\"maybe\""},
                                                          {"\"disabled\"", "\"disabled\""},
                                                          {"2", "2"},
                                                          {"-1", "-1"},
                                                          {"1.0", "1"},
                                                          {"null", "null"},
                                                          {"[true]", "(a JSON array)"},
                                                          {"{}", "(a JSON object)"}}) {
        const ResolvedConfig r = with("build_cache_prune_enabled", value);
        EXPECT_FALSE(r.config.enabled) << value;
        ASSERT_TRUE(r.error.has_value()) << value;
        EXPECT_EQ(*r.error, "manifest config key build_cache_prune_enabled: invalid value " +
                                shown + ": " + kBoolExpected +
                                "; the task is disabled until this is fixed");
        expect_no_warnings(r);
    }
}

TEST(ConfigManifest, HostAndUserAreStrippedWithAWarning) {
    const ResolvedConfig r = resolve(R"({"deploy_ssh_host": " h1 ", "deploy_ssh_user": "u "})");
    EXPECT_EQ(r.config.ssh_host, "h1");
    EXPECT_EQ(r.config.ssh_user, "u");
    ASSERT_EQ(r.warnings.size(), 2U) << testing::all_warnings(r);
    EXPECT_EQ(r.warnings[0],
              "manifest config key deploy_ssh_host: value \" h1 \" has surrounding whitespace, "
              "which was removed; using \"h1\"");
}

TEST(ConfigManifest, IntervalSeconds) {
    for (const auto& [value, expected] :
         std::vector<std::pair<std::string, long long>>{{"3600", 3600},
                                                        {"\"3600\"", 3600},
                                                        {"3600.0", 3600},
                                                        {"\" 60 \"", 60},
                                                        {"1", 1},
                                                        {"31536000", 31536000}}) {
        const ResolvedConfig r = with("build_cache_prune_interval_s", value);
        expect_no_warnings(r);
        EXPECT_EQ(r.config.interval_s, expected) << value;
    }
}

TEST(ConfigManifest, Until) {
    const ResolvedConfig days = with("build_cache_prune_until", "\"7d\"");
    expect_no_warnings(days);
    EXPECT_EQ(days.config.until_text, "7d");
    EXPECT_EQ(days.config.until, "168h");
    const ResolvedConfig go = with("build_cache_prune_until", "\"1h30m\"");
    EXPECT_EQ(go.config.until, "1h30m");
    const ResolvedConfig seconds = with("build_cache_prune_until", "3600");
    expect_no_warnings(seconds);
    EXPECT_EQ(seconds.config.until_text, "3600");
    EXPECT_EQ(seconds.config.until, "3600s");
    const ResolvedConfig micro = with("build_cache_prune_until", "\"5\xc2\xb5s\"");
    EXPECT_EQ(micro.config.until, "5us");
}

TEST(ConfigManifest, All) {
    for (const char* value : {"true", "\"true\"", "\"yes\"", "1"}) {
        const ResolvedConfig r = with("build_cache_prune_all", value);
        expect_no_warnings(r);
        EXPECT_TRUE(r.config.all) << value;
    }
}

TEST(ConfigManifest, TimeoutSeconds) {
    for (const auto& [value, expected] : std::vector<std::pair<std::string, long long>>{
             {"30", 30}, {"\"30\"", 30}, {"1", 1}, {"86400", 86400}}) {
        const ResolvedConfig r = with("build_cache_prune_timeout_s", value);
        expect_no_warnings(r);
        EXPECT_EQ(r.config.timeout_s, expected) << value;
    }
}

TEST(ConfigManifest, NotifyMinGb) {
    for (const auto& [value, expected] :
         std::vector<std::pair<std::string, double>>{{"1.5", 1.5},
                                                     {"\"2.5\"", 2.5},
                                                     {"0", 0.0},
                                                     {"\"0\"", 0.0},
                                                     {"10", 10.0},
                                                     {"-0.0", 0.0},
                                                     {"1e-3", 0.001}}) {
        const ResolvedConfig r = with("build_cache_prune_notify_min_gb", value);
        expect_no_warnings(r);
        EXPECT_EQ(r.config.notify_min_gb, expected) << value;
    }
}

TEST(ConfigManifest, SshHostAndUserAreTakenAsWritten) {
    const ResolvedConfig r =
        resolve(R"({"deploy_ssh_host": "build-host.prod", "deploy_ssh_user": "deploy"})");
    expect_no_warnings(r);
    EXPECT_EQ(r.config.ssh_host, "build-host.prod");
    EXPECT_EQ(r.config.ssh_user, "deploy");
    // Validated by make_ssh_target before each run, not here (no fallback to another host).
    const ResolvedConfig hostile = resolve(R"({"deploy_ssh_host": "-oProxyCommand=x"})");
    expect_no_warnings(hostile);
    EXPECT_EQ(hostile.config.ssh_host, "-oProxyCommand=x");
}

TEST(ConfigManifest, SshPort) {
    for (const auto& [value, expected] : std::vector<std::pair<std::string, int>>{
             {"2222", 2222}, {"\"2222\"", 2222}, {"22.0", 22}, {"1", 1}, {"65535", 65535}}) {
        const ResolvedConfig r = with("deploy_ssh_port", value);
        expect_no_warnings(r);
        EXPECT_EQ(r.config.ssh_port, expected) << value;
    }
}

TEST(ConfigManifest, SshFiles) {
    const ResolvedConfig r = resolve(
        R"({"deploy_ssh_identity_file": "/etc/orch/id_ed25519", "deploy_ssh_known_hosts_file": "~/.ssh/kh"})");
    expect_no_warnings(r);
    EXPECT_EQ(r.config.ssh_identity_file, "/etc/orch/id_ed25519");
    EXPECT_EQ(r.config.ssh_known_hosts_file, "~/.ssh/kh");
}

TEST(ConfigManifest, StrictHostKey) {
    for (const auto& [value, expected] : std::vector<std::pair<std::string, StrictHostKey>>{
             {"\"yes\"", StrictHostKey::kYes},
             {"\"accept-new\"", StrictHostKey::kAcceptNew},
             {"\"ACCEPT-NEW\"", StrictHostKey::kAcceptNew},
             {"\" Yes \"", StrictHostKey::kYes}}) {
        const ResolvedConfig r = with("deploy_ssh_strict_host_key", value);
        expect_no_warnings(r);
        EXPECT_EQ(r.config.strict_host_key, expected) << value;
    }
}

TEST(ConfigManifest, StrictHostKeyNoIsUsedButAlwaysWarns) {
    const ResolvedConfig r = with("deploy_ssh_strict_host_key", "\"no\"");
    EXPECT_EQ(r.config.strict_host_key, StrictHostKey::kNo);
    expect_one_warning(
        r, "StrictHostKeyChecking=no (set by manifest config key deploy_ssh_strict_host_key)",
        {"not verified", "accept-new or yes"});
}

struct InvalidCase {
    std::string key;
    std::string json_value;
    std::string shown_value;  // how the warning prints it
    std::string expected;     // a fragment of "what was expected"
    std::string fallback;     // "using ..." text
};

class ConfigManifestInvalid : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(ConfigManifestInvalid, KeepsTheDefaultAndWarns) {
    const InvalidCase& c = GetParam();
    const ResolvedConfig r = with(c.key, c.json_value);
    EXPECT_EQ(r.config, PrunerConfig{}) << c.key << " = " << c.json_value;
    expect_one_warning(r,
                       "manifest config key " + c.key + ": invalid value " + c.shown_value + ": ",
                       {c.expected, "; using " + c.fallback + " (the default)"});
}

const std::string kBool = "expected true or false (any case; also 1/0, t/f, yes/no, y/n, on/off)";
const std::string kInterval = "expected a whole number of seconds from 1 to 31536000 (365 days)";
const std::string kTimeout = "expected a whole number of seconds from 1 to 86400 (1 day)";
const std::string kNotify = "expected a number of GB >= 0 (0 turns notifications off)";
const std::string kUntil = "expected a Go duration such as 24h, 90m or 1h30m";
const std::string kPort = "expected a whole number from 1 to 65535";
const std::string kPath = "expected a file path without whitespace, quotes, backslashes";
const std::string kStrict = "expected accept-new, yes or no";

INSTANTIATE_TEST_SUITE_P(
    EveryKey, ConfigManifestInvalid,
    ::testing::Values(
        InvalidCase{"build_cache_prune_interval_s", "0", "0", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "-5", "-5", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "1.5", "1.5", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "\"1.5\"", "\"1.5\"", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "\"abc\"", "\"abc\"", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "\"0\"", "\"0\"", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "\"+60\"", "\"+60\"", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "\"6e2\"", "\"6e2\"", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "true", "true", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "31536001", "31536001", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "18446744073709551615", "18446744073709551615",
                    kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "1e300", "1e+300", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "\"99999999999999999999\"",
                    "\"99999999999999999999\"", kInterval, "21600"},
        InvalidCase{"build_cache_prune_interval_s", "{}", "(a JSON object)", kInterval, "21600"},
        InvalidCase{"build_cache_prune_until", "\"7x\"", "\"7x\"", "unknown unit", "\"24h\""},
        InvalidCase{"build_cache_prune_until", "\"-1h\"", "\"-1h\"", kUntil, "\"24h\""},
        InvalidCase{"build_cache_prune_until", "\"0\"", "\"0\"", "zero", "\"24h\""},
        InvalidCase{"build_cache_prune_until", "\"1.5d\"", "\"1.5d\"", kUntil, "\"24h\""},
        InvalidCase{"build_cache_prune_until", "\"24h;rm -rf /\"", "\"24h;rm -rf /\"",
                    "not allowed", "\"24h\""},
        InvalidCase{"build_cache_prune_until", "\" 24h\"", "\" 24h\"", "whitespace", "\"24h\""},
        InvalidCase{"build_cache_prune_until", "\"2562048h\"", "\"2562048h\"", "maximum",
                    "\"24h\""},
        InvalidCase{"build_cache_prune_until", "-3", "-3", "sign", "\"24h\""},
        InvalidCase{"build_cache_prune_until", "1.5", "1.5", kUntil, "\"24h\""},
        InvalidCase{"build_cache_prune_until", "true", "true", "(as a string)", "\"24h\""},
        InvalidCase{"build_cache_prune_all", "\"sometimes\"", "\"sometimes\"", kBool, "false"},
        InvalidCase{"build_cache_prune_all", "7", "7", kBool, "false"},
        InvalidCase{"build_cache_prune_timeout_s", "0", "0", kTimeout, "600"},
        InvalidCase{"build_cache_prune_timeout_s", "-1", "-1", kTimeout, "600"},
        InvalidCase{"build_cache_prune_timeout_s", "86401", "86401", kTimeout, "600"},
        InvalidCase{"build_cache_prune_timeout_s", "\"ten\"", "\"ten\"", kTimeout, "600"},
        InvalidCase{"build_cache_prune_timeout_s", "2.5", "2.5", kTimeout, "600"},
        InvalidCase{"build_cache_prune_notify_min_gb", "-1", "-1", kNotify, "0"},
        InvalidCase{"build_cache_prune_notify_min_gb", "\"-0.5\"", "\"-0.5\"", kNotify, "0"},
        InvalidCase{"build_cache_prune_notify_min_gb", "\"abc\"", "\"abc\"", kNotify, "0"},
        InvalidCase{"build_cache_prune_notify_min_gb", "\"nan\"", "\"nan\"", kNotify, "0"},
        InvalidCase{"build_cache_prune_notify_min_gb", "\"inf\"", "\"inf\"", kNotify, "0"},
        InvalidCase{"build_cache_prune_notify_min_gb", "true", "true", kNotify, "0"},
        InvalidCase{"deploy_ssh_host", "5", "5", "expected a string",
                    "no host, so ticks do nothing"},
        InvalidCase{"deploy_ssh_host", "[\"a\"]", "(a JSON array)", "expected a string",
                    "no host, so ticks do nothing"},
        InvalidCase{"deploy_ssh_user", "false", "false", "expected a string",
                    "no user, so ssh chooses"},
        InvalidCase{"deploy_ssh_port", "0", "0", kPort, "ssh's default port"},
        InvalidCase{"deploy_ssh_port", "65536", "65536", kPort, "ssh's default port"},
        InvalidCase{"deploy_ssh_port", "-22", "-22", kPort, "ssh's default port"},
        InvalidCase{"deploy_ssh_port", "\"ssh\"", "\"ssh\"", kPort, "ssh's default port"},
        InvalidCase{"deploy_ssh_port", "22.5", "22.5", kPort, "ssh's default port"},
        InvalidCase{"deploy_ssh_identity_file", "\"/path with space\"", "\"/path with space\"",
                    kPath, "ssh's default keys"},
        InvalidCase{"deploy_ssh_identity_file", "\"/a\\nb\"", "\"/a\\nb\"", kPath,
                    "ssh's default keys"},
        InvalidCase{"deploy_ssh_identity_file", "5", "5", kPath, "ssh's default keys"},
        InvalidCase{"deploy_ssh_known_hosts_file", "\"/x'y\"", "\"/x'y\"", kPath,
                    "ssh's default known_hosts files"},
        InvalidCase{"deploy_ssh_known_hosts_file", "\"C:\\\\kh\"", "\"C:\\\\kh\"", kPath,
                    "ssh's default known_hosts files"},
        InvalidCase{"deploy_ssh_known_hosts_file", "\"a\\\"b\"", "\"a\\\"b\"", kPath,
                    "ssh's default known_hosts files"},
        InvalidCase{"deploy_ssh_strict_host_key", "\"maybe\"", "\"maybe\"", kStrict, "accept-new"},
        InvalidCase{"deploy_ssh_strict_host_key", "\"off\"", "\"off\"", kStrict, "accept-new"},
        InvalidCase{"deploy_ssh_strict_host_key", "\"ask\"", "\"ask\"", kStrict, "accept-new"},
        InvalidCase{"deploy_ssh_strict_host_key", "false", "false", kStrict, "accept-new"}));

TEST(ConfigManifest, EmptyStringMeansNotSet) {
    for (const char* key : {"build_cache_prune_enabled", "build_cache_prune_interval_s",
                            "build_cache_prune_until", "deploy_ssh_host", "deploy_ssh_port",
                            "deploy_ssh_identity_file", "deploy_ssh_strict_host_key"}) {
        for (const char* value : {"\"\"", "\"   \""}) {
            const ResolvedConfig r = with(key, value);
            expect_no_warnings(r);
            EXPECT_EQ(r.config, PrunerConfig{}) << key;
        }
    }
}

TEST(ConfigManifest, UnknownKeysAreWarnedAboutAndIgnored) {
    const ResolvedConfig r = resolve(R"({"build_cache_prune_intervall_s": 5, "interval_s": 60})");
    ASSERT_EQ(r.warnings.size(), 2U) << testing::all_warnings(r);
    EXPECT_EQ(r.warnings[0].rfind(
                  "manifest config key \"build_cache_prune_intervall_s\" is not known", 0),
              0U)
        << r.warnings[0];
    EXPECT_TRUE(testing::contains(r.warnings[0], "build_cache_prune_interval_s, "));
    EXPECT_TRUE(testing::contains(r.warnings[1], "\"interval_s\""));
    EXPECT_EQ(r.config, PrunerConfig{});
}

TEST(ConfigManifest, KeysAreLowerCaseWithoutOrchPrefix) {
    const ResolvedConfig upper = resolve(R"({"BUILD_CACHE_PRUNE_UNTIL": "1h"})");
    EXPECT_EQ(upper.config.until, "24h");
    EXPECT_EQ(upper.warnings.size(), 1U);
    const ResolvedConfig prefixed = resolve(R"({"orch_build_cache_prune_until": "1h"})");
    EXPECT_EQ(prefixed.config.until, "24h");
    EXPECT_EQ(prefixed.warnings.size(), 1U);
}

TEST(ConfigManifest, UnknownKeyWithControlCharactersIsPrintedEscaped) {
    const ResolvedConfig r = resolve(R"({"bad\nkey": 1})");
    ASSERT_EQ(r.warnings.size(), 1U);
    EXPECT_TRUE(testing::contains(r.warnings[0], "\"bad\\nkey\"")) << r.warnings[0];
    EXPECT_FALSE(testing::contains(r.warnings[0], "\n"));
}

TEST(ConfigManifest, EveryKeyAtOnce) {
    const ResolvedConfig r = resolve(R"({
        "build_cache_prune_enabled": false, "build_cache_prune_interval_s": 3600,
        "build_cache_prune_until": "2w", "build_cache_prune_all": true,
        "build_cache_prune_timeout_s": 120, "build_cache_prune_notify_min_gb": 2,
        "deploy_ssh_host": "h", "deploy_ssh_user": "u", "deploy_ssh_port": 2200,
        "deploy_ssh_identity_file": "/k", "deploy_ssh_known_hosts_file": "/kh",
        "deploy_ssh_strict_host_key": "yes"})");
    expect_no_warnings(r);
    PrunerConfig expected;
    expected.enabled = false;
    expected.interval_s = 3600;
    expected.until_text = "2w";
    expected.until = "336h";
    expected.all = true;
    expected.timeout_s = 120;
    expected.notify_min_gb = 2;
    expected.ssh_host = "h";
    expected.ssh_user = "u";
    expected.ssh_port = 2200;
    expected.ssh_identity_file = "/k";
    expected.ssh_known_hosts_file = "/kh";
    expected.strict_host_key = StrictHostKey::kYes;
    EXPECT_EQ(r.config, expected);
}

}  // namespace
}  // namespace orch::pruner
