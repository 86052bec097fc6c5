// Issue 11's settings: parallelism (1 .. 64, default 4) and stagger_s (0 .. 365 days, default
// 0) in both layers, and the host list's key, which resolve_fleet reads: never "unknown".
#include <gtest/gtest.h>

#include <string>

#include "config_test_support.hpp"
#include "core/config.hpp"

namespace orch::pruner {
namespace {

using testing::expect_no_warnings;
using testing::expect_one_warning;
using testing::resolve;
using testing::resolve_env;

TEST(ConfigFleet, DefaultsAreFourAtOnceAndNoStagger) {
    const ResolvedConfig r = resolve("{}");
    expect_no_warnings(r);
    EXPECT_EQ(r.config.parallelism, 4);
    EXPECT_EQ(r.config.stagger_s, 0);
}

TEST(ConfigFleet, BothLayersAndTheEnvironmentWins) {
    const ResolvedConfig r =
        resolve(R"({"build_cache_prune_parallelism": 8, "build_cache_prune_stagger_s": "600"})",
                {{"ORCH_BUILD_CACHE_PRUNE_PARALLELISM", "16"}});
    expect_no_warnings(r);
    EXPECT_EQ(r.config.parallelism, 16);
    EXPECT_EQ(r.config.stagger_s, 600);
}

TEST(ConfigFleet, OutOfRangeValuesWarnAndKeepTheLowerLayer) {
    const struct {
        const char* env;
        const char* value;
        const char* expected;
    } rows[] = {
        {"ORCH_BUILD_CACHE_PRUNE_PARALLELISM", "0", "from 1 to 64"},
        {"ORCH_BUILD_CACHE_PRUNE_PARALLELISM", "65", "from 1 to 64"},
        {"ORCH_BUILD_CACHE_PRUNE_PARALLELISM", "four", "from 1 to 64"},
        {"ORCH_BUILD_CACHE_PRUNE_STAGGER_S", "-1", "from 0 to 31536000"},
        {"ORCH_BUILD_CACHE_PRUNE_STAGGER_S", "31536001", "from 0 to 31536000"},
    };
    for (const auto& row : rows) {
        const ResolvedConfig r = resolve_env({{row.env, row.value}});
        expect_one_warning(r, std::string("environment ") + row.env, {row.expected});
        EXPECT_EQ(r.config.parallelism, 4) << row.env << "=" << row.value;
        EXPECT_EQ(r.config.stagger_s, 0) << row.env << "=" << row.value;
    }
}

TEST(ConfigFleet, TheHostListKeyIsKnownAndListedAmongTheKnownKeys) {
    expect_no_warnings(resolve(R"({"deploy_ssh_hosts": ["a", "b"]})"));
    const ResolvedConfig r = resolve(R"({"deploy_ssh_hostz": ["a"]})");
    expect_one_warning(r, "manifest config key \"deploy_ssh_hostz\" is not known",
                       {"known keys: ", ", deploy_ssh_hosts"});
}

}  // namespace
}  // namespace orch::pruner
