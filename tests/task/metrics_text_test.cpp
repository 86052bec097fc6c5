// The pruner's metrics text: every family of issue 12 with its values, hostile label values made
// safe, and the real `promtool check metrics` on the output at start, after a prune and after a
// failure.
#include "task/metrics_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/promtool.hpp"

namespace orch::pruner {
namespace {

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

void expect_promtool_clean(const std::string& text) {
    const test::PromtoolResult r = test::promtool_check_metrics(text);
    EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- text ---\n" << text;
}

PruneMetrics at_start() {
    PruneMetrics m;
    m.hosts.emplace_back().host = "builder@build-1";
    m.until = "24h";
    m.all = false;
    m.interval_s = 21600;
    return m;
}

PruneMetrics after_prunes() {
    PruneMetrics m = at_start();
    m.hosts[0].runs_success = 2;
    m.hosts[0].runs_failure = 1;
    m.hosts[0].runs_timeout = 1;
    m.hosts[0].runs_noop = 3;
    m.hosts[0].reclaimed_bytes_total = 1536;
    m.hosts[0].duration.observe(0.5);
    m.hosts[0].duration.observe(12.25);
    m.hosts[0].duration.observe(4000);  // above the last bound: only in +Inf, count and sum
    m.hosts[0].last_run_ts = 1700000100.5;
    m.hosts[0].last_success_ts = 1700000000;
    m.hosts[0].in_flight = true;
    return m;
}

TEST(RenderMetricsText, AtStartEveryFamilyWithZerosAndNoTimestamps) {
    const std::string text = render_metrics_text(at_start());
    for (const std::string& line : std::vector<std::string>{
             R"(build_cache_prune_runs_total{host="builder@build-1",result="success"} 0)",
             R"(build_cache_prune_runs_total{host="builder@build-1",result="noop"} 0)",
             R"(build_cache_prune_reclaimed_bytes_total{host="builder@build-1"} 0)",
             R"(build_cache_prune_run_duration_seconds_bucket{host="builder@build-1",le="+Inf"} 0)",
             R"(build_cache_prune_run_duration_seconds_count{host="builder@build-1"} 0)",
             R"(build_cache_prune_in_flight{host="builder@build-1"} 0)",
             R"(build_cache_prune_config_info{until="24h",all="false",interval_s="21600"} 1)",
         }) {
        EXPECT_TRUE(has_line(text, line)) << line << "\n--- text ---\n" << text;
    }
    EXPECT_EQ(text.find("build_cache_prune_last_run_timestamp_seconds{"), std::string::npos);
    EXPECT_EQ(text.find("build_cache_prune_last_success_timestamp_seconds{"), std::string::npos);
    EXPECT_NE(text.find("docker's reported estimate"), std::string::npos);
    expect_promtool_clean(text);
}

TEST(RenderMetricsText, AfterPrunesTheCountersHistogramAndTimestamps) {
    const std::string text = render_metrics_text(after_prunes());
    const std::string h = R"(host="builder@build-1")";
    for (const std::string& line : std::vector<std::string>{
             "build_cache_prune_runs_total{" + h + R"(,result="success"} 2)",
             "build_cache_prune_runs_total{" + h + R"(,result="failure"} 1)",
             "build_cache_prune_runs_total{" + h + R"(,result="timeout"} 1)",
             "build_cache_prune_runs_total{" + h + R"(,result="noop"} 3)",
             "build_cache_prune_reclaimed_bytes_total{" + h + "} 1536",
             "build_cache_prune_run_duration_seconds_bucket{" + h + R"(,le="1"} 1)",
             "build_cache_prune_run_duration_seconds_bucket{" + h + R"(,le="5"} 1)",
             "build_cache_prune_run_duration_seconds_bucket{" + h + R"(,le="15"} 2)",
             "build_cache_prune_run_duration_seconds_bucket{" + h + R"(,le="3600"} 2)",
             "build_cache_prune_run_duration_seconds_bucket{" + h + R"(,le="+Inf"} 3)",
             "build_cache_prune_run_duration_seconds_sum{" + h + "} 4012.75",
             "build_cache_prune_run_duration_seconds_count{" + h + "} 3",
             "build_cache_prune_last_run_timestamp_seconds{" + h + "} 1700000100.5",
             "build_cache_prune_last_success_timestamp_seconds{" + h + "} 1700000000",
             "build_cache_prune_in_flight{" + h + "} 1",
         }) {
        EXPECT_TRUE(has_line(text, line)) << line << "\n--- text ---\n" << text;
    }
    expect_promtool_clean(text);
}

struct LabelCase {
    const char* name;
    std::string raw;
    std::size_t max_chars;
    std::string escaped;
};

TEST(LabelValue, SanitisedBoundedAndEscaped) {
    const std::vector<LabelCase> table{
        {"plain", "user@host", 128, "user@host"},
        {"quote backslash newline", "a\"b\\c\nd", 128, R"(a\"b\\c\nd)"},
        {"invalid utf-8",
         "a\xFF"
         "b",
         128,
         "a\xEF\xBF\xBD"
         "b"},
        {"truncated sequence", "a\xE2\x82", 128, "a\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"valid utf-8 kept", "h\xC3\xA9", 128, "h\xC3\xA9"},
        {"bounded", std::string(300, 'x'), 128, std::string(128, 'x')},
        {"counts characters, not bytes", "ab\xC3\xA9x", 3, "ab\xC3\xA9"},
        {"bound before escaping", "\"\"\"", 2, R"(\"\")"},
        {"empty", "", 128, ""},
    };
    for (const LabelCase& c : table) {
        EXPECT_EQ(label_value(c.raw, c.max_chars), c.escaped) << c.name;
    }
}

TEST(RenderMetricsText, AHostileTargetAndUntilStayOneValidLabelValue) {
    PruneMetrics m = after_prunes();
    m.hosts[0].host = "evil\"} 1\nbuild_cache_prune_in_flight 9\n\xFF" + std::string(500, 'h');
    m.until = "24h\"\n";
    const std::string text = render_metrics_text(m);
    EXPECT_EQ(text.find("\nbuild_cache_prune_in_flight 9"), std::string::npos) << text;
    // Each sample's host label is at most kMaxLabelChars of sanitised text.
    EXPECT_EQ(text.find(std::string(kMaxLabelChars, 'h')), std::string::npos);
    expect_promtool_clean(text);
}

TEST(RenderMetricsText, NoTargetIsAnEmptyHostLabel) {
    PruneMetrics m = at_start();
    m.hosts[0].host.clear();
    m.hosts[0].runs_noop = 4;
    const std::string text = render_metrics_text(m);
    EXPECT_TRUE(has_line(text, R"(build_cache_prune_runs_total{host="",result="noop"} 4)")) << text;
    expect_promtool_clean(text);
}

TEST(RenderMetricsText, AFleetHasOneSeriesPerHostInEachFamilyAndTheDiskGauges) {
    PruneMetrics m = after_prunes();
    HostMetrics second;
    second.host = "root@build-2:2222";
    second.runs_success = 7;
    second.filesystem_avail_bytes = 5'000'000'000;
    second.filesystem_size_bytes = 20'000'000'000;
    second.build_cache_bytes = 1'234'567;
    second.pressure_prunes_total = 2;
    m.hosts.push_back(second);
    const std::string text = render_metrics_text(m);
    for (const std::string& line : std::vector<std::string>{
             R"(build_cache_prune_runs_total{host="builder@build-1",result="success"} 2)",
             R"(build_cache_prune_runs_total{host="root@build-2:2222",result="success"} 7)",
             R"(build_cache_prune_in_flight{host="root@build-2:2222"} 0)",
             R"(build_cache_prune_filesystem_avail_bytes{host="root@build-2:2222"} 5000000000)",
             R"(build_cache_prune_filesystem_size_bytes{host="root@build-2:2222"} 20000000000)",
             R"(build_cache_prune_build_cache_bytes{host="root@build-2:2222"} 1234567)",
             R"(build_cache_prune_pressure_prunes_total{host="root@build-2:2222"} 2)",
             R"(build_cache_prune_pressure_prunes_total{host="builder@build-1"} 0)",
         }) {
        EXPECT_TRUE(has_line(text, line)) << line << "\n--- text ---\n" << text;
    }
    // A host without a probe yet has no disk sample (absent, not a made-up 0).
    EXPECT_EQ(text.find(R"(build_cache_prune_filesystem_avail_bytes{host="builder@build-1"})"),
              std::string::npos);
    // Each family's HELP/TYPE once, its samples together (promtool refuses a split family).
    std::size_t families = 0;
    for (std::size_t at = 0;
         (at = text.find("# TYPE build_cache_prune_runs_total ", at)) != std::string::npos; ++at) {
        ++families;
    }
    EXPECT_EQ(families, 1U);
    expect_promtool_clean(text);
}

}  // namespace
}  // namespace orch::pruner
