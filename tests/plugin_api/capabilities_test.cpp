// Which capabilities a host looks for in a plugin of a given minor: the one decision behind the
// versioning rule (version.hpp), as a table over plugin minors for a simulated host of API 1.3.
#include "orch/plugin_api/capabilities.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace orch::plugin_api {
namespace {

// A host of API 1.3 whose minors 1 and 3 added capabilities (2 added none).
constexpr std::array<Capability, 3> kHost13{
    {{"orch_one_a", 1}, {"orch_one_b", 1}, {"orch_three", 3}}};

std::vector<std::string> symbols_for(std::uint32_t plugin_minor) {
    std::vector<std::string> out;
    for (const Capability& c : capabilities_for_minor(plugin_minor, kHost13)) {
        out.emplace_back(c.symbol);
    }
    return out;
}

struct Row {
    std::uint32_t plugin_minor;
    std::vector<std::string> looked_up;
};

TEST(CapabilitiesForMinor, LooksUpOnlyWhatThePluginsMinorCanHave) {
    const std::vector<Row> table{
        {0, {}},
        {1, {"orch_one_a", "orch_one_b"}},
        {2, {"orch_one_a", "orch_one_b"}},
        {3, {"orch_one_a", "orch_one_b", "orch_three"}},
        // Newer than the host: refused by check_compatibility first; still nothing unknown.
        {7, {"orch_one_a", "orch_one_b", "orch_three"}},
    };
    for (const Row& row : table) {
        EXPECT_EQ(symbols_for(row.plugin_minor), row.looked_up)
            << "plugin minor " << row.plugin_minor;
    }
}

TEST(CapabilitiesForMinor, AHostWithoutCapabilitiesLooksUpNothing) {
    EXPECT_TRUE(capabilities_for_minor(0, {}).empty());
    EXPECT_TRUE(capabilities_for_minor(5, {}).empty());
}

TEST(CapabilitiesForMinor, ThisBuildsListIsValidAndA10PluginGetsNothing) {
    EXPECT_TRUE(detail::valid_capability_list(kCapabilities, kApiMinor));
    EXPECT_TRUE(capabilities_for_minor(0, kCapabilities).empty());
}

// This build's API (1.1): the rows each plugin minor gets.
TEST(CapabilitiesForMinor, ThisBuildsRowsByPluginMinor) {
    ASSERT_EQ(kApiMinor, 1U) << "add the rows of the new minor here";
    const std::vector<Row> table{
        {0, {}}, {1, {"orch_metrics"}},  // 1.1: metrics.hpp
    };
    for (const Row& row : table) {
        std::vector<std::string> got;
        for (const Capability& c : capabilities_for_minor(row.plugin_minor, kCapabilities)) {
            got.emplace_back(c.symbol);
        }
        EXPECT_EQ(got, row.looked_up) << "plugin minor " << row.plugin_minor;
    }
}

struct ListCase {
    const char* name;
    std::vector<Capability> list;
    std::uint32_t host_minor;
    bool valid;
};

TEST(ValidCapabilityList, RejectsListsAHostMustNotBeBuiltWith) {
    const std::vector<ListCase> table{
        {"empty", {}, 0, true},
        {"in order", {{"orch_a", 1}, {"orch_b", 1}, {"orch_c", 3}}, 3, true},
        {"since 1.0: 1.0 plugins would be asked", {{"orch_a", 0}}, 3, false},
        {"newer than the host", {{"orch_a", 4}}, 3, false},
        {"out of order", {{"orch_a", 2}, {"orch_b", 1}}, 3, false},
        {"duplicate symbol", {{"orch_a", 1}, {"orch_a", 2}}, 3, false},
        {"no symbol", {{nullptr, 1}}, 3, false},
    };
    for (const ListCase& c : table) {
        EXPECT_EQ(detail::valid_capability_list(c.list, c.host_minor), c.valid) << c.name;
    }
}

}  // namespace
}  // namespace orch::plugin_api
