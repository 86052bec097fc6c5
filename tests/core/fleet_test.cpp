#include "core/fleet.hpp"

#include "core/ssh_target.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

namespace orch::pruner {
namespace {

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// The manifest and the environment go through resolve_config first, as in the task.
Fleet fleet(std::string_view manifest_json, const Environment& env = {}) {
    const boost::json::object manifest = boost::json::parse(manifest_json).as_object();
    return resolve_fleet(manifest, env, resolve_config(manifest, env).config);
}

std::vector<std::string> keys_of(const Fleet& f) {
    std::vector<std::string> keys;
    for (const auto& host : f.hosts) {
        keys.push_back(host.key);
    }
    return keys;
}

TEST(Fleet, NothingConfiguredIsAnEmptyFleetWithoutError) {
    const Fleet f = fleet("{}");
    EXPECT_TRUE(f.hosts.empty());
    EXPECT_TRUE(f.error.empty());
    EXPECT_TRUE(f.warnings.empty());
    EXPECT_EQ(f.source, "");
}

TEST(Fleet, SingleHostIsAFleetOfOne) {
    const Fleet f = fleet(R"({"deploy_ssh_host": "build-1", "deploy_ssh_user": "ops",
                              "deploy_ssh_port": 2222, "deploy_ssh_identity_file": "/k"})");
    ASSERT_EQ(f.hosts.size(), 1U);
    EXPECT_TRUE(f.warnings.empty());
    EXPECT_EQ(f.source, "deploy_ssh_host");
    const FleetHost& host = f.hosts[0];
    EXPECT_EQ(host.key, "ops@build-1:2222");
    ASSERT_TRUE(host.ssh);
    EXPECT_EQ(host.ssh->target, "ops@build-1");
    EXPECT_EQ(host.ssh->port, 2222);
    EXPECT_EQ(host.ssh->identity_file, "/k");
    EXPECT_TRUE(host.error.empty());
}

TEST(Fleet, InvalidSingleHostReadsAsToday) {
    const Fleet f = fleet("{}", {{"ORCH_DEPLOY_SSH_HOST", "-oProxyCommand=x"}});
    ASSERT_EQ(f.hosts.size(), 1U);
    EXPECT_FALSE(f.hosts[0].ssh);
    EXPECT_EQ(f.hosts[0].key, "invalid entry 1");
    EXPECT_EQ(f.hosts[0].error, make_ssh_target("-oProxyCommand=x", "").error());
}

TEST(Fleet, EnvironmentListWinsOverManifestList) {
    const Fleet f =
        fleet(R"({"deploy_ssh_hosts": ["m1", "m2"]})", {{"ORCH_DEPLOY_SSH_HOSTS", "e1, e2 e3"}});
    EXPECT_EQ(keys_of(f), (std::vector<std::string>{"e1", "e2", "e3"}));
    EXPECT_EQ(f.source, "environment ORCH_DEPLOY_SSH_HOSTS");
}

TEST(Fleet, EmptyEnvironmentListIsNotSet) {
    for (const std::string_view blank : {"", " ", " \t\n"}) {
        const Fleet f = fleet(R"({"deploy_ssh_hosts": ["m1", "m2"]})",
                              {{"ORCH_DEPLOY_SSH_HOSTS", std::string(blank)}});
        EXPECT_EQ(keys_of(f), (std::vector<std::string>{"m1", "m2"}));
        EXPECT_EQ(f.source, "manifest config key deploy_ssh_hosts");
    }
}

TEST(Fleet, EmptyManifestListIsNotSet) {
    for (const std::string_view value : {"[]", "\"\"", "\"  \"", "null"}) {
        const Fleet f =
            fleet(R"({"deploy_ssh_host": "one", "deploy_ssh_hosts": )" + std::string(value) + "}");
        EXPECT_EQ(keys_of(f), std::vector<std::string>{"one"}) << value;
        EXPECT_TRUE(f.warnings.empty()) << value;
    }
}

TEST(Fleet, BothSingleAndListWarnAndTheListWins) {
    const Fleet f =
        fleet(R"({"deploy_ssh_hosts": ["a", "b"]})", {{"ORCH_DEPLOY_SSH_HOST", "single"}});
    EXPECT_EQ(keys_of(f), (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(f.warnings.size(), 1U);
    EXPECT_TRUE(contains(f.warnings[0],
                         "(\"single\") and manifest config key deploy_ssh_hosts "
                         "are set: the list wins"))
        << f.warnings[0];
}

TEST(Fleet, OverridesOnTopOfSharedKeys) {
    const Fleet f = fleet(R"({
        "deploy_ssh_user": "shared", "deploy_ssh_port": 22,
        "deploy_ssh_identity_file": "/shared/key", "deploy_ssh_known_hosts_file": "/shared/kh",
        "deploy_ssh_strict_host_key": "yes",
        "deploy_ssh_hosts": [
            "plain",
            {"host": "own", "user": "me", "port": 2200, "identity_file": "/own/key",
             "known_hosts_file": "/own/kh"}
        ]})");
    ASSERT_EQ(f.hosts.size(), 2U);
    const SshOptions& plain = *f.hosts[0].ssh;
    EXPECT_EQ(plain.target, "shared@plain");
    EXPECT_EQ(plain.port, 22);
    EXPECT_EQ(plain.identity_file, "/shared/key");
    EXPECT_EQ(plain.known_hosts_file, "/shared/kh");
    EXPECT_EQ(plain.strict_host_key, StrictHostKey::kYes);
    EXPECT_EQ(f.hosts[0].key, "shared@plain:22");
    const SshOptions& own = *f.hosts[1].ssh;
    EXPECT_EQ(own.target, "me@own");
    EXPECT_EQ(own.port, 2200);
    EXPECT_EQ(own.identity_file, "/own/key");
    EXPECT_EQ(own.known_hosts_file, "/own/kh");
    EXPECT_EQ(own.strict_host_key, StrictHostKey::kYes);  // never per host
    EXPECT_EQ(f.hosts[1].key, "me@own:2200");
}

TEST(Fleet, KeysBracketIpv6WhenAPortFollows) {
    const Fleet f = fleet(R"({"deploy_ssh_hosts": ["[::1]", {"host": "::1", "port": 2222},
                              {"host": "fe80::1%eth0", "user": "u", "port": 22}]})");
    EXPECT_EQ(keys_of(f), (std::vector<std::string>{"::1", "[::1]:2222", "u@[fe80::1%eth0]:22"}));
}

// An invalid host is an error for that host only, shown in its entry; the others are kept.
TEST(Fleet, InvalidHostsAreErrorsOfTheirOwn) {
    const Fleet f = fleet("{}", {{"ORCH_DEPLOY_SSH_HOSTS", "good-1 bad;rm -x good-2"}});
    ASSERT_EQ(f.hosts.size(), 4U);
    EXPECT_EQ(keys_of(f),
              (std::vector<std::string>{"good-1", "invalid entry 2", "invalid entry 3", "good-2"}));
    EXPECT_TRUE(f.hosts[0].ssh);
    EXPECT_TRUE(f.hosts[3].ssh);
    EXPECT_FALSE(f.hosts[1].ssh);
    EXPECT_TRUE(contains(f.hosts[1].error,
                         "ORCH_DEPLOY_SSH_HOSTS "
                         "entry 2: deploy_ssh_host \"bad;rm\""))
        << f.hosts[1].error;
    EXPECT_TRUE(contains(f.hosts[2].error, "starts with '-'")) << f.hosts[2].error;
    EXPECT_TRUE(f.error.empty());
}

TEST(Fleet, InvalidUserOverrideIsThatHostsError) {
    const Fleet f = fleet(R"({"deploy_ssh_hosts": [{"host": "a", "user": "x y"}, "b"]})");
    ASSERT_EQ(f.hosts.size(), 2U);
    EXPECT_FALSE(f.hosts[0].ssh);
    EXPECT_TRUE(contains(f.hosts[0].error, "deploy_ssh_user \"x y\"")) << f.hosts[0].error;
    EXPECT_EQ(f.hosts[1].key, "b");
}

TEST(Fleet, ManifestEntryProblemsBecomeHostErrors) {
    const Fleet f = fleet(R"({"deploy_ssh_hosts": ["a", {"host": "b", "port": 0}]})");
    ASSERT_EQ(f.hosts.size(), 2U);
    EXPECT_EQ(f.hosts[1].key, "invalid entry 2");
    EXPECT_TRUE(contains(f.hosts[1].error,
                         "manifest config key "
                         "deploy_ssh_hosts entry 2"))
        << f.hosts[1].error;
}

TEST(Fleet, DuplicatesAreOneHostAndTheFirstWins) {
    const Fleet f = fleet(R"({"deploy_ssh_user": "ops", "deploy_ssh_hosts": [
        "build-1",
        {"host": "BUILD-1", "identity_file": "/other"},
        {"host": "build-1", "user": "ops"},
        {"host": "build-1", "user": "root"},
        {"host": "build-1", "port": 2222},
        "build-2",
        "build-2"
    ]})");
    EXPECT_EQ(keys_of(f), (std::vector<std::string>{"ops@build-1", "root@build-1",
                                                    "ops@build-1:2222", "ops@build-2"}));
    EXPECT_EQ(f.hosts[0].ssh->identity_file, std::nullopt);  // the first entry's settings
    ASSERT_EQ(f.warnings.size(), 3U);
    EXPECT_TRUE(contains(f.warnings[0], "entry 2 (\"ops@BUILD-1\") is the same host as entry 1"))
        << f.warnings[0];
    EXPECT_TRUE(contains(f.warnings[1], "entry 3")) << f.warnings[1];
    EXPECT_TRUE(contains(f.warnings[2], "entry 7 (\"ops@build-2\") is the same host as entry 6"))
        << f.warnings[2];
}

TEST(Fleet, ManyDuplicatesAreCounted) {
    std::string hosts = "a";
    for (int i = 0; i < 20; ++i) {
        hosts += ",a";
    }
    const Fleet f = fleet("{}", {{"ORCH_DEPLOY_SSH_HOSTS", hosts}});
    EXPECT_EQ(f.hosts.size(), 1U);
    ASSERT_EQ(f.warnings.size(), 9U);
    EXPECT_TRUE(contains(f.warnings.back(), "12 more duplicate entries")) << f.warnings.back();
}

TEST(Fleet, InvalidEntriesAreNeverDuplicates) {
    const Fleet f = fleet("{}", {{"ORCH_DEPLOY_SSH_HOSTS", "a;b a;b"}});
    EXPECT_EQ(keys_of(f), (std::vector<std::string>{"invalid entry 1", "invalid entry 2"}));
}

TEST(Fleet, ARefusedListPrunesNothingAndDoesNotFallBackToTheSingleHost) {
    const Fleet f = fleet(R"({"deploy_ssh_host": "single", "deploy_ssh_hosts": 5})");
    EXPECT_TRUE(f.hosts.empty());
    EXPECT_TRUE(contains(f.error, "deploy_ssh_hosts is 5")) << f.error;
    EXPECT_EQ(f.warnings.size(), 1U);  // both set
}

TEST(Fleet, AThousandHostsWork) {
    std::string hosts;
    for (int i = 0; i < 1000; ++i) {
        hosts += "build-" + std::to_string(i) + " ";
    }
    const Fleet f = fleet("{}", {{"ORCH_DEPLOY_SSH_HOSTS", hosts}});
    ASSERT_EQ(f.hosts.size(), 1000U);
    EXPECT_EQ(f.hosts[999].key, "build-999");
    EXPECT_EQ(f.hosts[999].position, 1000U);
    EXPECT_TRUE(f.warnings.empty());
}

}  // namespace
}  // namespace orch::pruner
