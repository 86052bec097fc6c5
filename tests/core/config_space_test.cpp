// Issue 10's five settings (min_free, max_cache, reserved, check_interval_s, dry_run): defaults,
// both layers, invalid values (warning, lower layer's value kept) and precedence.
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
using testing::resolve_env;

TEST(ConfigSpace, DefaultsAreTenPercentFreeNoCapNoReserveFiveMinutesNoDryRun) {
    const ResolvedConfig r = resolve("{}");
    expect_no_warnings(r);
    EXPECT_EQ(r.config.min_free, (ByteSize{ByteSize::Kind::kPercent, 0, 10'000}));
    EXPECT_EQ(to_string(r.config.min_free), "10%");
    EXPECT_TRUE(r.config.max_cache.is_off());
    EXPECT_TRUE(r.config.reserved.is_off());
    EXPECT_EQ(r.config.check_interval_s, 300);
    EXPECT_FALSE(r.config.dry_run);
}

struct ByteRow {
    const char* env;
    const char* value;
    std::string expected;  // to_string of the value used
};

TEST(ConfigSpace, ByteSettingsReadUnitsAndPercentFromTheEnvironment) {
    const std::vector<ByteRow> rows = {
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "5GB", "5000000000B"},
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "5GiB", "5368709120B"},
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "2.5%", "2.5%"},
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", " 1234 ", "1234B"},
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "0", "off"},
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "0%", "off"},
        {"ORCH_BUILD_CACHE_PRUNE_MAX_CACHE", "500MB", "500000000B"},
        {"ORCH_BUILD_CACHE_PRUNE_MAX_CACHE", "0", "off"},
        {"ORCH_BUILD_CACHE_PRUNE_RESERVED", "1kB", "1000B"},
        {"ORCH_BUILD_CACHE_PRUNE_RESERVED", "1KiB", "1024B"},
    };
    for (const auto& row : rows) {
        const ResolvedConfig r = resolve_env({{row.env, row.value}});
        expect_no_warnings(r);
        const std::string name = row.env;
        const ByteSize& got = name.ends_with("MIN_FREE")    ? r.config.min_free
                              : name.ends_with("MAX_CACHE") ? r.config.max_cache
                                                            : r.config.reserved;
        EXPECT_EQ(to_string(got), row.expected) << row.env << "=" << row.value;
    }
}

TEST(ConfigSpace, InvalidByteValuesWarnNameKeyAndValueAndKeepTheDefault) {
    const std::vector<ByteRow> rows = {
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "lots", "10%"},
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "101%", "10%"},
        {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "-5GB", "10%"},
        {"ORCH_BUILD_CACHE_PRUNE_MAX_CACHE", "10%", "off"},   // no percent for the cap
        {"ORCH_BUILD_CACHE_PRUNE_MAX_CACHE", "99EB", "off"},  // above int64
        {"ORCH_BUILD_CACHE_PRUNE_RESERVED", "5%", "off"},
        {"ORCH_BUILD_CACHE_PRUNE_RESERVED", "1 GB GB", "off"},
    };
    for (const auto& row : rows) {
        const ResolvedConfig r = resolve_env({{row.env, row.value}});
        expect_one_warning(r, std::string("environment ") + row.env + ": invalid value ",
                           {"expected", "using " + row.expected, "(the default)"});
        const std::string name = row.env;
        const ByteSize& got = name.ends_with("MIN_FREE")    ? r.config.min_free
                              : name.ends_with("MAX_CACHE") ? r.config.max_cache
                                                            : r.config.reserved;
        EXPECT_EQ(to_string(got), row.expected) << row.env << "=" << row.value;
    }
}

TEST(ConfigSpace, ManifestTakesTextOrWholeBytesAsANumber) {
    const ResolvedConfig r =
        resolve(R"({"build_cache_prune_min_free":"15%","build_cache_prune_max_cache":2000000000,)"
                R"("build_cache_prune_reserved":"1GB","build_cache_prune_check_interval_s":60,)"
                R"("build_cache_prune_dry_run":true})");
    expect_no_warnings(r);
    EXPECT_EQ(to_string(r.config.min_free), "15%");
    EXPECT_EQ(r.config.max_cache, ByteSize::of_bytes(2'000'000'000));
    EXPECT_EQ(r.config.reserved, ByteSize::of_bytes(1'000'000'000));
    EXPECT_EQ(r.config.check_interval_s, 60);
    EXPECT_TRUE(r.config.dry_run);
}

TEST(ConfigSpace, ManifestByteSettingRefusesOtherJsonTypes) {
    const ResolvedConfig r = resolve(R"({"build_cache_prune_max_cache":1.5})");
    expect_one_warning(r, "manifest config key build_cache_prune_max_cache: invalid value 1.5",
                       {"using off (the default)"});
    EXPECT_TRUE(r.config.max_cache.is_off());
}

TEST(ConfigSpace, CheckIntervalIsFiveSecondsToOneDay) {
    for (const auto& [value, used, warns] :
         std::vector<std::tuple<const char*, long long, bool>>{{"5", 5, false},
                                                               {"86400", 86400, false},
                                                               {" 600 ", 600, false},
                                                               {"4", 300, true},
                                                               {"0", 300, true},
                                                               {"86401", 300, true},
                                                               {"5m", 300, true},
                                                               {"-10", 300, true}}) {
        const ResolvedConfig r = resolve_env({{"ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S", value}});
        EXPECT_EQ(r.config.check_interval_s, used) << value;
        if (warns) {
            expect_one_warning(r, "environment ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S",
                               {"from 5 to 86400", "using 300 (the default)"});
        } else {
            expect_no_warnings(r);
        }
    }
}

TEST(ConfigSpace, DryRunIsABoolean) {
    EXPECT_TRUE(resolve_env({{"ORCH_BUILD_CACHE_PRUNE_DRY_RUN", "yes"}}).config.dry_run);
    const ResolvedConfig r = resolve_env({{"ORCH_BUILD_CACHE_PRUNE_DRY_RUN", "maybe"}});
    EXPECT_FALSE(r.config.dry_run);
    EXPECT_TRUE(r.config.enabled);  // only the kill switch fails closed
    expect_one_warning(r, "environment ORCH_BUILD_CACHE_PRUNE_DRY_RUN: invalid value",
                       {"expected true or false", "using false (the default)"});
}

TEST(ConfigSpace, EnvironmentBeatsManifestAndInvalidEnvironmentKeepsTheManifestValue) {
    const std::string manifest =
        R"({"build_cache_prune_min_free":"20%","build_cache_prune_check_interval_s":60})";
    const ResolvedConfig over =
        resolve(manifest, {{"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "1GB"},
                           {"ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S", "30"}});
    expect_no_warnings(over);
    EXPECT_EQ(over.config.min_free, ByteSize::of_bytes(1'000'000'000));
    EXPECT_EQ(over.config.check_interval_s, 30);

    const ResolvedConfig kept = resolve(manifest, {{"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "x%"}});
    expect_one_warning(kept, "environment ORCH_BUILD_CACHE_PRUNE_MIN_FREE: invalid value \"x%\"",
                       {"using 20% (from manifest config key build_cache_prune_min_free)"});
    EXPECT_EQ(to_string(kept.config.min_free), "20%");

    // Empty means "not set here": it does not turn the manifest's value off ("0" does).
    EXPECT_EQ(
        to_string(resolve(manifest, {{"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", " "}}).config.min_free),
        "20%");
    EXPECT_TRUE(
        resolve(manifest, {{"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "0"}}).config.min_free.is_off());
}

}  // namespace
}  // namespace orch::pruner
