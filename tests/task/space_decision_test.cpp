// What a finished probe or preview means for status, log and notifications: tables, no
// processes.
#include "task/space_decision.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace orch::pruner {
namespace {

RunResult exited(int code, std::string out, std::string err = "") {
    RunResult r;
    r.outcome = RunOutcome::kExited;
    r.exit_code = code;
    r.out.head = std::move(out);
    r.out.total_bytes = r.out.head.size();
    r.err.head = std::move(err);
    r.err.total_bytes = r.err.head.size();
    return r;
}

// A probe's stdout: the root, df in KiB blocks, and the build cache row.
std::string probe_text(std::uint64_t avail_kib, std::uint64_t size_kib, const std::string& cache,
                       const std::string& reclaimable) {
    return "@@root\n/var/lib/docker\n@@rc 0\n@@df\n"
           "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x " +
           std::to_string(size_kib) + " 0 " + std::to_string(avail_kib) +
           " 0% /var/lib/docker\n@@rc 0\n@@cache\nBuild Cache\t" + cache + "\t" + reclaimable +
           "\n@@rc 0\n@@end\n";
}

PrunerConfig config_with(ByteSize min_free) {
    PrunerConfig c;
    c.min_free = min_free;
    return c;
}

TEST(SpaceDecision, ProbeTimeoutIsTheRunTimeoutAtMostThirtySeconds) {
    for (const auto& [timeout, probe] : std::vector<std::pair<long long, long long>>{
             {1, 1}, {5, 5}, {30, 30}, {31, 30}, {600, 30}, {86400, 30}}) {
        PrunerConfig c;
        c.timeout_s = timeout;
        EXPECT_EQ(probe_timeout_s(c), probe) << timeout;
    }
}

TEST(SpaceDecision, ProbeOutcomes) {
    struct Row {
        const char* name;
        ByteSize min_free;
        RunResult run;
        bool was_unresolved;
        bool good;
        PruneTrigger trigger;
        bool unresolved;
        bool notifies;
    };
    const auto gb = [](std::uint64_t n) { return ByteSize::of_bytes(n * 1'000'000'000); };
    // 10 GB disk (9765625 KiB).
    const std::vector<Row> rows = {
        {"room to spare", gb(1), exited(0, probe_text(5'000'000, 9'765'625, "1GB", "1GB")), false,
         true, PruneTrigger::kNone, false, false},
        {"pressure, cache to prune", gb(6),
         exited(0, probe_text(5'000'000, 9'765'625, "1GB", "1GB")), false, true,
         PruneTrigger::kPressure, false, false},
        {"pressure, no cache: enters", gb(6),
         exited(0, probe_text(5'000'000, 9'765'625, "0B", "0B")), false, true, PruneTrigger::kNone,
         true, true},
        {"still unresolved: no second notice", gb(6),
         exited(0, probe_text(5'000'000, 9'765'625, "0B", "0B")), true, true, PruneTrigger::kNone,
         true, false},
        {"back above: leaves", gb(1), exited(0, probe_text(5'000'000, 9'765'625, "0B", "0B")), true,
         true, PruneTrigger::kNone, false, true},
        {"failed probe keeps the state", gb(6), exited(255, "", "ssh: connect refused"), true,
         false, PruneTrigger::kNone, true, false},
        {"garbled probe keeps the state", gb(6), exited(0, "hello\n"), false, false,
         PruneTrigger::kNone, false, false},
    };
    for (const auto& row : rows) {
        const ProbeDecision d = decide_after_probe(config_with(row.min_free), "deploy@h", row.run,
                                                   row.was_unresolved, 7.0);
        EXPECT_EQ(d.probe.has_value(), row.good) << row.name;
        EXPECT_EQ(d.error.empty(), row.good) << row.name << ": " << d.error;
        EXPECT_EQ(d.trigger(), row.trigger) << row.name;
        EXPECT_EQ(d.pressure.unresolved, row.unresolved) << row.name;
        EXPECT_EQ(d.notification.has_value(), row.notifies) << row.name;
        HostStatus s;
        s.pressure_unresolved = row.was_unresolved;
        d.apply(s);
        EXPECT_EQ(s.last_probe_ts, 7.0) << row.name;
        EXPECT_EQ(s.last_probe_error.has_value(), !row.good) << row.name;
        EXPECT_EQ(s.pressure_unresolved, row.unresolved) << row.name;
        EXPECT_EQ(s.disk_free_bytes.has_value(), row.good) << row.name;
    }
}

TEST(SpaceDecision, FailedProbeSaysWhichPartAndThatTheAgePruneGoesOn) {
    const ProbeDecision d = decide_after_probe(
        PrunerConfig{}, "deploy@h",
        exited(0, "@@root\n\n@@rc 1\n@@df\n@@rc 1\n@@cache\n@@rc 1\n@@end\n"), false, 1.0);
    EXPECT_EQ(d.error.rfind("probe: docker info", 0), 0u) << d.error;
    ASSERT_EQ(d.logs.size(), 1u);
    EXPECT_NE(d.logs[0].text.find("the age prune is not affected"), std::string::npos);
}

TEST(SpaceDecision, PreviewOutcomes) {
    const std::string records =
        R"([{"ID":"a","CacheType":"regular","Size":"30MB","LastUsedAt":"2026-11-30 01:00:00 +0000 UTC","UsageCount":"1","InUse":"false","Shared":"false"},)"
        R"({"ID":"b","CacheType":"regular","Size":"20MB","LastUsedAt":"2026-11-30 02:00:00 +0000 UTC","UsageCount":"1","InUse":"false","Shared":"false"}])";
    const auto now =
        CacheTime(std::chrono::sys_days(std::chrono::November / 30 / 2026)) + std::chrono::hours(3);
    const PrunerConfig c;
    // Keep 25 MB: the older 30 MB record goes first and is enough.
    PreviewDecision d =
        decide_after_preview(c, exited(0, records), pressure_preview_request(25'000'000, now), "x");
    ASSERT_TRUE(d.preview.has_value()) << d.error;
    EXPECT_EQ(d.preview->would_reclaim_bytes, 30'000'000u);
    EXPECT_EQ(d.preview->would_remove_records, 1u);
    HostStatus s;
    d.apply(s);
    EXPECT_EQ(s.would_reclaim_bytes, 30'000'000u);

    // The age prune with until=24h: both records are younger, nothing goes.
    d = decide_after_preview(c, exited(0, records), age_preview_request(c, now), "x");
    ASSERT_TRUE(d.preview.has_value()) << d.error;
    EXPECT_EQ(d.preview->would_remove_records, 0u);

    d = decide_after_preview(c, exited(1, "", "Error"), age_preview_request(c, now), "x");
    EXPECT_FALSE(d.preview.has_value());
    EXPECT_EQ(d.error.rfind("dry run: preview failed: rc=1", 0), 0u) << d.error;
    d = decide_after_preview(c, exited(0, "{not json"), age_preview_request(c, now), "x");
    EXPECT_FALSE(d.preview.has_value());
    EXPECT_EQ(d.error.rfind("dry run: preview output unreadable", 0), 0u) << d.error;
    s = HostStatus{};
    d.apply(s);
    EXPECT_EQ(s.last_error, d.error);
    EXPECT_FALSE(s.would_reclaim_bytes.has_value());
}

}  // namespace
}  // namespace orch::pruner
