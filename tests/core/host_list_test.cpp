#include "core/host_list.hpp"

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

std::vector<std::string> hosts_of(const HostList& list) {
    std::vector<std::string> hosts;
    for (const auto& entry : list.entries) {
        hosts.push_back(entry.spec.host);
    }
    return hosts;
}

HostSpec spec(std::string host, std::optional<std::string> user = std::nullopt,
              std::optional<int> port = std::nullopt,
              std::optional<std::string> identity_file = std::nullopt,
              std::optional<std::string> known_hosts_file = std::nullopt) {
    return HostSpec{std::move(host), std::move(user), port, std::move(identity_file),
                    std::move(known_hosts_file)};
}

HostList manifest(std::string_view json) {
    return parse_manifest_host_list(boost::json::parse(json));
}

// --- environment form ---------------------------------------------------------------------

TEST(HostListEnv, CommasAndOrWhitespaceSeparate) {
    struct Row {
        std::string_view text;
        std::vector<std::string> hosts;
    };
    const Row rows[] = {
        {"build-1", {"build-1"}},
        {"build-1,build-2", {"build-1", "build-2"}},
        {"build-1 build-2", {"build-1", "build-2"}},
        {" build-1 ,\tbuild-2,,\nbuild-3 , ", {"build-1", "build-2", "build-3"}},
        {",,,", {}},
        {"", {}},
        {" \t\n", {}},
        {"a,[::1] fe80::1%eth0", {"a", "[::1]", "fe80::1%eth0"}},
    };
    for (const Row& row : rows) {
        const HostList list = parse_env_host_list(row.text);
        EXPECT_EQ(hosts_of(list), row.hosts) << row.text;
        EXPECT_TRUE(list.error.empty()) << row.text;
        EXPECT_TRUE(list.warnings.empty()) << row.text;
    }
}

TEST(HostListEnv, PositionsCountFromOneInListOrder) {
    const HostList list = parse_env_host_list("c, b, a");
    ASSERT_EQ(list.entries.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(list.entries[i].position, i + 1);
        EXPECT_TRUE(list.entries[i].problem.empty());
        EXPECT_EQ(list.entries[i].spec.user, std::nullopt);
    }
}

TEST(HostListEnv, NamesAreNotValidatedHere) {
    // resolve_fleet runs make_ssh_target: here "a;b" is just a name.
    EXPECT_EQ(hosts_of(parse_env_host_list("a;b")), std::vector<std::string>{"a;b"});
}

TEST(HostListEnv, TheCapIsAnErrorNotATruncation) {
    std::string at_cap;
    for (std::size_t i = 0; i < kMaxFleetHosts; ++i) {
        at_cap += "h" + std::to_string(i) + ",";
    }
    const HostList full = parse_env_host_list(at_cap);
    EXPECT_EQ(full.entries.size(), kMaxFleetHosts);
    EXPECT_TRUE(full.error.empty());

    const HostList over = parse_env_host_list(at_cap + "one-too-many");
    EXPECT_TRUE(over.entries.empty());
    EXPECT_TRUE(contains(over.error, "ORCH_DEPLOY_SSH_HOSTS has more than 4096 entries"))
        << over.error;
    EXPECT_TRUE(contains(over.error, "no host is pruned")) << over.error;
}

// --- manifest form ------------------------------------------------------------------------

TEST(HostListManifest, StringsAndObjectsInOrder) {
    const HostList list = manifest(R"([
        "build-1",
        {"host": "build-2", "user": "ops", "port": 2222,
         "identity_file": "/keys/b2", "known_hosts_file": "/etc/kh"},
        {"host": "build-3", "port": "22"}
    ])");
    ASSERT_TRUE(list.error.empty()) << list.error;
    EXPECT_TRUE(list.warnings.empty());
    ASSERT_EQ(list.entries.size(), 3U);
    EXPECT_EQ(list.entries[0].spec, spec("build-1"));
    EXPECT_EQ(list.entries[1].spec, spec("build-2", "ops", 2222, "/keys/b2", "/etc/kh"));
    EXPECT_EQ(list.entries[2].spec, spec("build-3", std::nullopt, 22));
    for (const auto& entry : list.entries) {
        EXPECT_TRUE(entry.problem.empty()) << entry.problem;
    }
}

TEST(HostListManifest, EmptyOverridesMeanNotSet) {
    const HostList list = manifest(
        R"([{"host": "b", "user": "", "port": null, "identity_file": "  ", "known_hosts_file": null}])");
    ASSERT_EQ(list.entries.size(), 1U);
    EXPECT_TRUE(list.entries[0].problem.empty()) << list.entries[0].problem;
    EXPECT_EQ(list.entries[0].spec, spec("b"));
}

// Each invalid entry is a problem for that entry only; the others are read normally.
TEST(HostListManifest, InvalidEntriesAreProblemsOfTheirOwn) {
    struct Row {
        std::string_view item;
        std::vector<std::string_view> parts;  // the problem names these
    };
    const Row rows[] = {
        {"42", {"entry 2", "is 42", "expected a host name string or an object"}},
        {"[\"x\"]", {"entry 2", "(a JSON array)"}},
        {"true", {"entry 2", "is true"}},
        {R"({"user": "ops"})", {"entry 2", "has no \"host\""}},
        {R"({"host": 7})", {"entry 2", "\"host\" is 7"}},
        {R"({"host": " "})", {"entry 2", "\"host\" is \" \""}},
        {R"({"host": "b", "port": 0})", {"entry 2", "\"port\" is 0", "1 to 65535"}},
        {R"({"host": "b", "port": 70000})", {"\"port\" is 70000"}},
        {R"({"host": "b", "port": "22x"})", {"\"port\" is \"22x\""}},
        {R"({"host": "b", "port": 1.5})", {"\"port\" is 1.5"}},
        {R"({"host": "b", "user": 5})", {"\"user\" is 5", "user name"}},
        {R"({"host": "b", "identity_file": "/a b"})",
         {"\"identity_file\" is \"/a b\"", "without whitespace"}},
        {R"({"host": "b", "known_hosts_file": "/x\"y"})", {"\"known_hosts_file\""}},
        {R"({"host": "b", "identity_file": {}})", {"(a JSON object)"}},
    };
    for (const Row& row : rows) {
        const std::string json = "[\"first\", " + std::string(row.item) + ", \"third\"]";
        const HostList list = manifest(json);
        ASSERT_TRUE(list.error.empty()) << json;
        ASSERT_EQ(list.entries.size(), 3U) << json;
        EXPECT_TRUE(list.entries[0].problem.empty()) << json;
        EXPECT_TRUE(list.entries[2].problem.empty()) << json;
        EXPECT_EQ(list.entries[2].spec.host, "third");
        EXPECT_EQ(list.entries[1].position, 2U);
        const std::string& problem = list.entries[1].problem;
        EXPECT_FALSE(problem.empty()) << json;
        EXPECT_TRUE(contains(problem, "manifest config key deploy_ssh_hosts")) << problem;
        for (const auto part : row.parts) {
            EXPECT_TRUE(contains(problem, part)) << json << "\n  " << problem;
        }
    }
}

TEST(HostListManifest, InvalidOverrideNeverFallsBackToTheSharedKey) {
    const HostList list = manifest(R"([{"host": "b", "port": "x"}])");
    ASSERT_EQ(list.entries.size(), 1U);
    EXPECT_TRUE(contains(list.entries[0].problem, "ssh is not run for this host"));
    EXPECT_TRUE(contains(list.entries[0].problem, "deploy_ssh_port is not used"));
}

// As resolve_config does for deploy_ssh_host / deploy_ssh_user (the original's .strip()).
TEST(HostListManifest, SurroundingWhitespaceIsStrippedWithAWarning) {
    const HostList list = manifest(R"([" a ", {"host": "b\t", "user": " ops "}, "c d"])");
    ASSERT_EQ(list.entries.size(), 3U);
    EXPECT_EQ(list.entries[0].spec, spec("a"));
    EXPECT_EQ(list.entries[1].spec, spec("b", "ops"));
    EXPECT_EQ(list.entries[2].spec, spec("c d"));  // inner whitespace: make_ssh_target refuses
    for (const auto& entry : list.entries) {
        EXPECT_TRUE(entry.problem.empty()) << entry.problem;
    }
    ASSERT_EQ(list.warnings.size(), 3U);
    EXPECT_TRUE(contains(list.warnings[0],
                         "entry 1 \" a \" has surrounding whitespace, which "
                         "was removed; using \"a\""))
        << list.warnings[0];
    EXPECT_TRUE(contains(list.warnings[1], "entry 2 \"host\" \"b\\t\"")) << list.warnings[1];
    EXPECT_TRUE(contains(list.warnings[2], "entry 2 \"user\" \" ops \"")) << list.warnings[2];
}

TEST(HostListManifest, UnknownKeysAreWarningsAndTheHostStays) {
    const HostList list = manifest(R"([{"host": "b", "hostname": "c", "Port": 22}])");
    ASSERT_EQ(list.entries.size(), 1U);
    EXPECT_TRUE(list.entries[0].problem.empty());
    ASSERT_EQ(list.warnings.size(), 2U);
    EXPECT_TRUE(contains(list.warnings[0], "entry 1: unknown key \"hostname\" was ignored"))
        << list.warnings[0];
    EXPECT_TRUE(contains(list.warnings[1], "unknown key \"Port\"")) << list.warnings[1];
}

TEST(HostListManifest, ManyWarningsAreCountedNotListed) {
    std::string json = "[{\"host\": \"b\"";
    for (int i = 0; i < 100; ++i) {
        json += ", \"k" + std::to_string(i) + "\": 1";
    }
    json += "}]";
    const HostList list = manifest(json);
    ASSERT_EQ(list.warnings.size(), 33U);
    EXPECT_TRUE(contains(list.warnings.back(), "and 68 more host-list warnings"))
        << list.warnings.back();
}

TEST(HostListManifest, EmptyStringItemsAreSkippedWithAWarning) {
    const HostList list = manifest(R"(["a", "", "b"])");
    EXPECT_EQ(hosts_of(list), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(list.entries[1].position, 3U);
    ASSERT_EQ(list.warnings.size(), 1U);
    EXPECT_TRUE(contains(list.warnings[0], "entry 2 is empty and was ignored"));
}

TEST(HostListManifest, AStringIsReadAsTheEnvironmentForm) {
    const HostList list = manifest(R"("a, b c")");
    EXPECT_EQ(hosts_of(list), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(HostListManifest, WrongTypeRefusesTheList) {
    for (const std::string_view json : {"42", "true", R"({"host": "a"})"}) {
        const HostList list = manifest(json);
        EXPECT_TRUE(list.entries.empty()) << json;
        EXPECT_TRUE(contains(list.error, "manifest config key deploy_ssh_hosts is ")) << list.error;
        EXPECT_TRUE(contains(list.error, "no host is pruned")) << list.error;
    }
}

TEST(HostListManifest, TheCapIsAnErrorNotATruncation) {
    boost::json::array hosts;
    for (std::size_t i = 0; i < kMaxFleetHosts; ++i) {
        hosts.emplace_back("h" + std::to_string(i));
    }
    EXPECT_EQ(parse_manifest_host_list(hosts).entries.size(), kMaxFleetHosts);
    hosts.emplace_back("one-too-many");
    const HostList over = parse_manifest_host_list(hosts);
    EXPECT_TRUE(over.entries.empty());
    EXPECT_TRUE(contains(over.error, "deploy_ssh_hosts has more than 4096 entries")) << over.error;
}

TEST(HostListManifest, OverlongPathIsAProblem) {
    const std::string path(kMaxSshPathBytes + 1, 'p');
    const HostList list = manifest(R"([{"host": "b", "identity_file": ")" + path + "\"}]");
    ASSERT_EQ(list.entries.size(), 1U);
    EXPECT_TRUE(contains(list.entries[0].problem, "at most 4096 bytes"));
    EXPECT_LT(list.entries[0].problem.size(), 1000U);  // the value is quoted, not copied whole
}

}  // namespace
}  // namespace orch::pruner
