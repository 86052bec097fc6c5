#include <gtest/gtest.h>

#include <cstdlib>

#include "config_test_support.hpp"
#include "core/config.hpp"

namespace orch::pruner {
namespace {

using testing::expect_no_warnings;
using testing::resolve;

TEST(ConfigDefaults, MatchTheReference) {
    const ResolvedConfig resolved = resolve("{}");
    expect_no_warnings(resolved);
    const PrunerConfig& c = resolved.config;
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.interval_s, 21600);
    EXPECT_EQ(c.until_text, "24h");
    EXPECT_EQ(c.until, "24h");
    EXPECT_FALSE(c.all);
    EXPECT_EQ(c.timeout_s, 600);
    EXPECT_EQ(c.notify_min_gb, 0.0);
    EXPECT_EQ(c.ssh_host, "");
    EXPECT_EQ(c.ssh_user, "");
    EXPECT_EQ(c.ssh_port, std::nullopt);
    EXPECT_EQ(c.ssh_identity_file, std::nullopt);
    EXPECT_EQ(c.ssh_known_hosts_file, std::nullopt);
    EXPECT_EQ(c.strict_host_key, StrictHostKey::kAcceptNew);
    EXPECT_EQ(c, PrunerConfig{});
}

TEST(ConfigDefaults, UnrelatedEnvironmentIsIgnoredSilently) {
    const ResolvedConfig resolved =
        resolve("{}", {{"PATH", "/usr/bin"},
                       {"ORCH_OTHER_SETTING", "x"},
                       {"HOME", "/root"},
                       {"ORCH_DEPLOY_SSH_SOMETHING_ELSE", "owned by another component"}});
    expect_no_warnings(resolved);
    EXPECT_EQ(resolved.config, PrunerConfig{});
}

TEST(CurrentEnvironment, ReadsTheProcessEnvironment) {
    ASSERT_EQ(setenv("ORCH_CORE_TEST_VARIABLE", "a=b=c", 1), 0);
    ASSERT_EQ(setenv("ORCH_CORE_TEST_EMPTY", "", 1), 0);
    const Environment env = current_environment();
    EXPECT_EQ(env.at("ORCH_CORE_TEST_VARIABLE"), "a=b=c");
    EXPECT_EQ(env.at("ORCH_CORE_TEST_EMPTY"), "");
    unsetenv("ORCH_CORE_TEST_VARIABLE");
    unsetenv("ORCH_CORE_TEST_EMPTY");
    EXPECT_EQ(current_environment().count("ORCH_CORE_TEST_VARIABLE"), 0U);
}

TEST(CurrentEnvironment, FeedsResolveConfig) {
    ASSERT_EQ(setenv("ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "1234", 1), 0);
    const ResolvedConfig resolved = resolve_config({}, current_environment());
    unsetenv("ORCH_BUILD_CACHE_PRUNE_INTERVAL_S");
    EXPECT_EQ(resolved.config.interval_s, 1234);
}

}  // namespace
}  // namespace orch::pruner
