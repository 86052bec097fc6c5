// prune_target_for: the ssh options and argv decided once from the configuration.
#include "core/prune_target.hpp"

#include <gtest/gtest.h>

namespace orch::pruner {
namespace {

PrunerConfig with_target(std::string host, std::string user, long long timeout_s) {
    PrunerConfig c;
    c.ssh_host = std::move(host);
    c.ssh_user = std::move(user);
    c.timeout_s = timeout_s;
    c.until = "24h";
    return c;
}

TEST(PruneTarget, NoHostIsNeitherATargetNorAnError) {
    const PruneTargetChoice t = prune_target_for(with_target("", "ops", 600));
    EXPECT_FALSE(t.target);
    EXPECT_FALSE(t.error);
}

TEST(PruneTarget, AnInvalidHostIsAnErrorAndNoArgv) {
    const PruneTargetChoice t = prune_target_for(with_target("-oProxyCommand=x", "", 600));
    EXPECT_FALSE(t.target);
    ASSERT_TRUE(t.error);
    EXPECT_NE(t.error->find("deploy_ssh_host"), std::string::npos) << *t.error;
}

TEST(PruneTarget, ConnectTimeoutIsTheRunTimeoutClampedToOneToThirtySeconds) {
    const struct {
        long long timeout_s;
        long long connect_s;
    } rows[] = {{0, 1}, {1, 1}, {12, 12}, {30, 30}, {600, 30}};
    for (const auto& row : rows) {
        const PruneTargetChoice t = prune_target_for(with_target("build1", "ops", row.timeout_s));
        ASSERT_TRUE(t.target);
        EXPECT_EQ(t.target->ssh.connect_timeout.count(), row.connect_s) << row.timeout_s;
    }
}

TEST(PruneTarget, ArgvAndItsTextAreBuiltOnce) {
    const PruneTargetChoice t = prune_target_for(with_target("build1", "ops", 600));
    ASSERT_TRUE(t.target);
    EXPECT_EQ(t.target->ssh.target, "ops@build1");
    EXPECT_EQ(t.target->argv, build_prune_argv(t.target->ssh, "24h", false));
    EXPECT_EQ(t.target->command_text, describe_argv(t.target->argv));
}

}  // namespace
}  // namespace orch::pruner
