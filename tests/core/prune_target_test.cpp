// prune_units_for: each host's ssh options and argv, decided once from the configuration.
#include "core/prune_target.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

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

PruneUnits units_for(const PrunerConfig& c, const std::string& manifest = "{}") {
    const auto object = boost::json::parse(manifest).as_object();
    return prune_units_for(resolve_fleet(object, {}, c), c);
}

TEST(PruneUnits, NoHostIsOneUnlistedUnitWithNeitherTargetNorError) {
    const PruneUnits u = units_for(with_target("", "ops", 600));
    ASSERT_EQ(u.units.size(), 1U);
    EXPECT_FALSE(u.listed);
    EXPECT_FALSE(u.units[0].target);
    EXPECT_FALSE(u.units[0].error);
}

TEST(PruneUnits, AListRefusedWholeIsTheUnlistedUnitsError) {
    const PruneUnits u = units_for(with_target("", "ops", 600), R"({"deploy_ssh_hosts": 7})");
    ASSERT_EQ(u.units.size(), 1U);
    EXPECT_FALSE(u.listed);
    ASSERT_TRUE(u.units[0].error);
    EXPECT_NE(u.units[0].error->find("deploy_ssh_hosts"), std::string::npos) << *u.units[0].error;
}

TEST(PruneUnits, AnInvalidHostIsAnErrorAndNoArgv) {
    const PruneUnits u = units_for(with_target("-oProxyCommand=x", "", 600));
    ASSERT_EQ(u.units.size(), 1U);
    EXPECT_TRUE(u.listed);
    EXPECT_FALSE(u.units[0].target);
    ASSERT_TRUE(u.units[0].error);
    EXPECT_NE(u.units[0].error->find("deploy_ssh_host"), std::string::npos) << *u.units[0].error;
}

TEST(PruneUnits, ConnectTimeoutIsTheRunTimeoutClampedToOneToThirtySeconds) {
    const struct {
        long long timeout_s;
        long long connect_s;
    } rows[] = {{0, 1}, {1, 1}, {12, 12}, {30, 30}, {600, 30}};
    for (const auto& row : rows) {
        const PruneUnits u = units_for(with_target("build1", "ops", row.timeout_s));
        ASSERT_TRUE(u.units[0].target);
        EXPECT_EQ(u.units[0].target->ssh.connect_timeout.count(), row.connect_s) << row.timeout_s;
    }
}

TEST(PruneUnits, ArgvAndItsTextAreBuiltOncePerHost) {
    const PruneUnits u = units_for(with_target("", "ops", 600),
                                   R"({"deploy_ssh_hosts": ["build1", {"host": "build2",
                                       "user": "root", "port": 2222}, "bad;rm"]})");
    ASSERT_EQ(u.units.size(), 3U);
    EXPECT_EQ(u.units[0].key, "ops@build1");
    EXPECT_EQ(u.units[1].key, "root@build2:2222");
    EXPECT_EQ(u.units[2].key, "invalid entry 3");
    for (const auto& unit : {u.units[0], u.units[1]}) {
        ASSERT_TRUE(unit.target);
        EXPECT_EQ(unit.target->argv, build_prune_argv(unit.target->ssh, "24h", false));
        EXPECT_EQ(unit.target->command_text, describe_argv(unit.target->argv));
    }
    EXPECT_EQ(u.units[1].target->ssh.port, 2222);
    EXPECT_FALSE(u.units[2].target);
    EXPECT_TRUE(u.units[2].error);
}

}  // namespace
}  // namespace orch::pruner
