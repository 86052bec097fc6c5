#include "core/cache_preview.hpp"

#include "core/until.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace orch::pruner {
namespace {

using namespace std::chrono_literals;

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(ORCH_CORE_FIXTURES_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

CacheTime at(std::int64_t unix_seconds) {
    return CacheTime(std::chrono::seconds(unix_seconds));
}

TEST(ParseGoTime, AsDockerPrintsIt) {
    struct Case {
        const char* text;
        std::int64_t seconds;
        std::int64_t nanos;
    };
    const Case cases[] = {
        {"1970-01-01 00:00:00 +0000 UTC", 0, 0},
        {"2026-11-30 01:36:07.81270982 +0000 UTC", 1'796'002'567, 812'709'820},
        {"2026-11-30 01:36:07.5 +0000 UTC", 1'796'002'567, 500'000'000},
        {"2026-11-30 02:36:07 +0100 CET", 1'796'002'567, 0},
        {"2026-11-29 20:06:07 -0530 XYZ", 1'796'002'567, 0},
        {"2026-11-30 01:36:07.000000001 +0000 UTC m=+0.000000001", 1'796'002'567, 1},
        {"2026-11-30 01:36:07 +0000", 1'796'002'567, 0},
        {"2024-02-29 00:00:00 +0000 UTC", 1'709'164'800, 0},
    };
    for (const auto& c : cases) {
        const auto t = parse_go_time(c.text);
        ASSERT_TRUE(t) << c.text;
        EXPECT_EQ(t->time_since_epoch(),
                  std::chrono::seconds(c.seconds) + std::chrono::nanoseconds(c.nanos))
            << c.text;
    }
    for (const char* text :
         {"", "2026-11-30", "2026-11-30 01:36:07", "2026-13-01 00:00:00 +0000 UTC",
          "2023-02-29 00:00:00 +0000 UTC", "2026-11-30 24:00:00 +0000 UTC",
          "2026-11-30 01:36:07. +0000 UTC", "2026-11-30 01:36:07.1234567890 +0000 UTC",
          "2026-11-30T01:36:07Z", "1 minute ago", "2026-11-30 01:36:07 UTC",
          "2026-11-30 01:36:07 +00:00 UTC"}) {
        EXPECT_FALSE(parse_go_time(text)) << text;
    }
    // Out of int64 nanoseconds: saturates, keeps its order.
    EXPECT_EQ(parse_go_time("0001-01-01 00:00:00 +0000 UTC")->time_since_epoch(),
              std::chrono::nanoseconds::min());
    EXPECT_EQ(parse_go_time("9999-12-31 23:59:59 +0000 UTC")->time_since_epoch(),
              std::chrono::nanoseconds::max());
}

TEST(ParseBuildCacheRecords, RealOutputFromDocker2010) {
    // `docker system df -v --format '{{json .BuildCache}}'` from dockerd 20.10.24 after two builds.
    const auto parse = parse_build_cache_records(fixture("preview_build_cache_2010.json"));
    ASSERT_TRUE(parse) << parse.error();
    ASSERT_EQ(parse->size(), 5U);
    const CacheRecord& first = parse->front();
    EXPECT_EQ(first.id, "r549h2tkf2a8p4eq9n7xzclp9");
    EXPECT_EQ(first.cache_type, "regular");
    EXPECT_EQ(first.size_bytes, 30'000'000U);
    EXPECT_TRUE(first.shared);
    EXPECT_FALSE(first.in_use);
    EXPECT_EQ(first.usage_count, 1U);
    EXPECT_EQ(first.last_used, parse_go_time("2026-11-30 02:18:26.67903114 +0000 UTC"));
    EXPECT_EQ((*parse)[2].cache_type, "source.local");
    EXPECT_EQ((*parse)[2].size_bytes, 31U);

    // What `docker builder prune -f --keep-storage 1` then removed on that daemon: the three
    // unshared records (the shared layers stayed), "Total reclaimed space: 5MB".
    PreviewRequest request;
    request.keep_bytes = 1;
    request.now = at(1'796'006'400);
    const PreviewResult result = preview_prune(*parse, request);
    EXPECT_EQ(result.would_remove_records, 3U);
    EXPECT_EQ(result.would_reclaim_bytes, 5'000'031U);
    // Then `docker builder prune -af` removed the two shared records left: "Total reclaimed
    // space: 35MB".
    std::vector<CacheRecord> left;
    for (const auto& record : *parse) {
        if (std::find(result.removed_ids.begin(), result.removed_ids.end(), record.id) ==
            result.removed_ids.end()) {
            left.push_back(record);
        }
    }
    PreviewRequest all;
    all.all = true;
    const PreviewResult everything = preview_prune(left, all);
    EXPECT_EQ(everything.would_remove_records, 2U);
    EXPECT_EQ(everything.would_reclaim_bytes, 35'000'000U);
}

TEST(ParseBuildCacheRecords, EmptyAndTypedValues) {
    for (const char* empty : {"[]", "null", "[]\n", " null \n"}) {
        const auto parse = parse_build_cache_records(empty);
        ASSERT_TRUE(parse) << empty << ": " << parse.error();
        EXPECT_TRUE(parse->empty());
    }
    const auto typed = parse_build_cache_records(
        R"([{"ID":"a","Size":1234,"InUse":false,"Shared":true,"UsageCount":3,"LastUsedAt":null},
            {"ID":"b","Size":"1.5kB","InUse":"true","Shared":"false","CacheType":""}])");
    ASSERT_TRUE(typed) << typed.error();
    EXPECT_EQ((*typed)[0].size_bytes, 1234U);
    EXPECT_TRUE((*typed)[0].shared);
    EXPECT_EQ((*typed)[0].usage_count, 3U);
    EXPECT_FALSE((*typed)[0].last_used);
    EXPECT_EQ((*typed)[1].size_bytes, 1500U);
    EXPECT_TRUE((*typed)[1].in_use);
    EXPECT_EQ((*typed)[1].cache_type, "regular");
    EXPECT_FALSE((*typed)[1].last_used);
}

TEST(ParseBuildCacheRecords, RefusesWithWhereAndWhat) {
    struct Case {
        std::string text;
        const char* error_contains;
    };
    const Case cases[] = {
        {"json", "not JSON"},
        {"", "not JSON"},
        {"{}", "not a JSON array"},
        {"[1]", "record 0 is not a JSON object"},
        {R"([{"Size":"1B","InUse":"false","Shared":"false"},{"InUse":"false"}])",
         "record 1: Size is missing"},
        {R"([{"Size":"lots","InUse":"false","Shared":"false"}])", "Size is not a size: \"lots\""},
        {R"([{"Size":"1B","InUse":"no","Shared":"false"}])", "InUse is not"},
        {R"([{"Size":"1B","InUse":"false"}])", "Shared is not"},
        {R"([{"Size":"1B","InUse":"false","Shared":"false","UsageCount":"-1"}])",
         "UsageCount is not a whole number"},
        {R"([{"Size":"1B","InUse":"false","Shared":"false","LastUsedAt":"1 hour ago"}])",
         "LastUsedAt is not a time"},
        {R"([{"Size":-1,"InUse":"false","Shared":"false"}])", "Size is missing or not text"},
        {"[[[[[[[[[[[[]]]]]]]]]]]]", "not JSON"},
        {std::string(kMaxPreviewOutputBytes + 1, ' '), "larger than"},
    };
    for (const auto& c : cases) {
        const auto parse = parse_build_cache_records(c.text);
        ASSERT_FALSE(parse) << c.text.substr(0, 80);
        EXPECT_NE(parse.error().find(c.error_contains), std::string::npos)
            << c.text.substr(0, 80) << ": " << parse.error();
    }
    std::string many = "[";
    for (std::size_t i = 0; i <= kMaxCacheRecords; ++i) {
        many += i == 0 ? "{}" : ",{}";
    }
    many += "]";
    EXPECT_NE(parse_build_cache_records(many).error().find("more than"), std::string::npos);
}

CacheRecord rec(std::string id, std::uint64_t size, std::optional<std::int64_t> last_used,
                std::uint64_t usage = 1, bool shared = false, bool in_use = false,
                std::string type = "regular") {
    CacheRecord r;
    r.id = std::move(id);
    r.size_bytes = size;
    if (last_used) {
        r.last_used = at(*last_used);
    }
    r.usage_count = usage;
    r.shared = shared;
    r.in_use = in_use;
    r.cache_type = std::move(type);
    return r;
}

constexpr std::int64_t kNow = 1'796'006'400;
constexpr std::int64_t kHour = 3600;

struct PreviewCase {
    const char* name;
    std::vector<CacheRecord> records;
    PreviewRequest request;
    std::vector<std::string> removed;
    std::uint64_t reclaimed;
};

PreviewRequest age(std::chrono::nanoseconds until, bool all = false) {
    PreviewRequest r;
    r.all = all;
    r.until = until;
    r.now = at(kNow);
    return r;
}
PreviewRequest budget(std::uint64_t keep, bool all = false) {
    PreviewRequest r;
    r.all = all;
    r.keep_bytes = keep;
    r.now = at(kNow);
    return r;
}

TEST(PreviewPrune, Table) {
    const std::vector<CacheRecord> mixed = {
        rec("old", 10, kNow - 48 * kHour),
        rec("new", 20, kNow - 1 * kHour),
        rec("never", 30, std::nullopt, 0),
        rec("shared-old", 40, kNow - 48 * kHour, 1, true),
        rec("inuse-old", 50, kNow - 48 * kHour, 1, false, true),
        rec("internal-old", 60, kNow - 48 * kHour, 1, false, false, "internal"),
        rec("frontend-old", 70, kNow - 48 * kHour, 1, false, false, "frontend"),
        rec("mount-old", 80, kNow - 47 * kHour, 1, false, false, "exec.cachemount"),
    };
    const PreviewCase cases[] = {
        {"age 24h: old unshared regular records and the never used one",
         mixed,
         age(24h),
         {"old", "never", "mount-old"},
         120},
        {"age 24h with all: shared, internal and frontend too, never in use",
         mixed,
         age(24h, true),
         {"old", "never", "shared-old", "internal-old", "frontend-old", "mount-old"},
         290},
        {"exactly at the cutoff counts as old",
         {rec("edge", 5, kNow - 24 * kHour)},
         age(24h),
         {"edge"},
         5},
        {"one nanosecond newer is kept",
         {[] {
             CacheRecord r = rec("edge", 5, kNow - 24 * kHour);
             *r.last_used += 1ns;
             return r;
         }()},
         age(24h),
         {},
         0},
        {"no filter at all: every candidate",
         mixed,
         PreviewRequest{},
         {"old", "new", "never", "mount-old"},
         140},
        // Unshared total = 10+20+30+50+60+70+80 = 320 (in-use and internal count, shared not).
        {"budget above the total: nothing", mixed, budget(321), {}, 0},
        {"budget equal to the total: one record (BuildKit's quirk)",
         mixed,
         budget(320),
         {"never"},
         30},
        {"budget: least recently used first until below keep",
         mixed,
         budget(290),
         {"never", "old"},
         40},
        {"budget 1: all candidates", mixed, budget(1), {"never", "old", "mount-old", "new"}, 140},
        {"budget with all: shared sizes count as removed, not in the total",
         mixed,
         budget(1, true),
         {"never", "frontend-old", "internal-old", "old", "shared-old", "mount-old", "new"},
         310},
        {"budget and age together",
         mixed,
         [] {
             PreviewRequest r = budget(1);
             r.until = 24h;
             return r;
         }(),
         {"never", "old", "mount-old"},
         120},
        {"empty cache", {}, budget(1), {}, 0},
        {"in use only", {rec("a", 5, kNow, 1, false, true)}, age(1h), {}, 0},
    };
    for (const auto& c : cases) {
        const PreviewResult result = preview_prune(c.records, c.request);
        auto removed = result.removed_ids;
        auto expected = c.removed;
        if (!c.request.keep_bytes) {  // without a budget the order is not docker's concern
            std::sort(removed.begin(), removed.end());
            std::sort(expected.begin(), expected.end());
        }
        EXPECT_EQ(removed, expected) << c.name;
        EXPECT_EQ(result.would_reclaim_bytes, c.reclaimed) << c.name;
        EXPECT_EQ(result.would_remove_records, c.removed.size()) << c.name;
    }
}

TEST(PreviewPrune, BuildKitRanksUsageCountWithLastUse) {
    // sortDeleteRecords: rank by last use and by usage count, normalised, summed. A record used
    // long ago but very often outlives a slightly newer one used once.
    const std::vector<CacheRecord> records = {
        rec("old-popular", 10, kNow - 10 * kHour, 50),
        rec("mid-once", 10, kNow - 9 * kHour, 1),
        rec("new-once", 10, kNow - 1 * kHour, 1),
    };
    // Ranks: last use 1,2,3 of 3; usage 1,1,2 of 2 -> scores 1/3+1, 2/3+1/2, 1+1/2.
    const PreviewResult result = preview_prune(records, budget(25));
    EXPECT_EQ(result.removed_ids, (std::vector<std::string>{"mid-once"}));
}

TEST(PreviewPrune, SaturatesAtTheEdges) {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::vector<CacheRecord> records = {rec("a", max, std::nullopt), rec("b", max, kNow)};
    const PreviewResult result = preview_prune(records, PreviewRequest{});
    EXPECT_EQ(result.would_reclaim_bytes, max);
    EXPECT_EQ(result.would_remove_records, 2U);
    PreviewRequest huge_age = age(std::chrono::nanoseconds::max());
    huge_age.now = CacheTime(std::chrono::nanoseconds::min() + 5ns);
    EXPECT_EQ(preview_prune(records, huge_age).removed_ids, (std::vector<std::string>{"a"}));
    EXPECT_EQ(preview_prune(records, budget(max)).would_remove_records, 1U);
}

}  // namespace
}  // namespace orch::pruner

namespace orch::pruner {
namespace {

// The preview's age filter needs the length of the normalised until value.
TEST(GoDurationLength, OfNormalisedUntilValues) {
    using namespace std::chrono_literals;
    EXPECT_EQ(go_duration_length("24h"), std::chrono::nanoseconds(24h));
    EXPECT_EQ(go_duration_length("1h30m"), std::chrono::nanoseconds(90min));
    EXPECT_EQ(go_duration_length("1.5h"), std::chrono::nanoseconds(90min));
    EXPECT_EQ(go_duration_length("300ms"), std::chrono::nanoseconds(300ms));
    EXPECT_EQ(go_duration_length("3600s"), std::chrono::nanoseconds(1h));
    EXPECT_EQ(go_duration_length("168h"), std::chrono::nanoseconds(168h));
    EXPECT_EQ(go_duration_length(*normalize_until("7d")), std::chrono::nanoseconds(168h));
    for (const char* text : {"", "7d", "3600", "0s", "-1h", "1h ", "abc"}) {
        EXPECT_FALSE(go_duration_length(text)) << text;
    }
}

}  // namespace
}  // namespace orch::pruner
