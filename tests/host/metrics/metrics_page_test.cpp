// The host's /metrics page: its own families from plain structs, the request counters, and the
// page assembled with plugins' text, checked by the real `promtool check metrics`.
#include "metrics/host_metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "support/promtool.hpp"

namespace orch::host::metrics {
namespace {

HostMetrics sample_host() {
    HostMetrics h;
    h.version = "0.3.0";
    h.api_version = "1.1";
    h.plugins_by_state = {1, 0, 0, 2, 0};
    h.notifier = NotifierMetrics{5, 1, 2, 3};
    return h;
}

void expect_promtool_clean(const std::string& page) {
    const test::PromtoolResult r = test::promtool_check_metrics(page);
    EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- page ---\n" << page;
}

bool has_line(const std::string& page, const std::string& line) {
    return page.find("\n" + line + "\n") != std::string::npos || page.starts_with(line + "\n");
}

TEST(RenderHostMetrics, EveryFamilyWithItsValues) {
    HttpRequestCounters counters;
    counters.count(Route::kQueue, 200);
    counters.count(Route::kQueue, 200);
    counters.count(Route::kOther, 404);
    counters.count(Route::kMetrics, 299);  // not a counted code: "other"
    HostMetrics h = sample_host();
    h.http = counters.snapshot();
    h.plugin_totals["pruner"] = {7, 1};
    const std::string page = render_host_metrics(h);
    for (const std::string& line : std::vector<std::string>{
             R"(orch_host_build_info{version="0.3.0",api_version="1.1"} 1)",
             R"(orch_host_plugins{state="disabled"} 1)",
             R"(orch_host_plugins{state="running"} 2)",
             R"(orch_host_plugins{state="failed"} 0)",
             "orch_host_notifications_sent_total 5",
             "orch_host_notifications_failed_total 1",
             "orch_host_notifications_dropped_total 2",
             "orch_host_notifications_queued 3",
             R"(orch_host_http_requests_total{route="/queue",code="200"} 2)",
             R"(orch_host_http_requests_total{route="other",code="404"} 1)",
             R"(orch_host_http_requests_total{route="/metrics",code="other"} 1)",
             R"(orch_host_http_requests_total{route="/metrics",code="200"} 0)",
             R"(orch_host_plugin_metric_lines_dropped_total{plugin="pruner"} 7)",
             R"(orch_host_plugin_metrics_failures_total{plugin="pruner"} 1)",
         }) {
        EXPECT_TRUE(has_line(page, line)) << line << "\n--- page ---\n" << page;
    }
    expect_promtool_clean(page);
}

TEST(RenderHostMetrics, WithoutNotifierNoNotifierFamiliesAndHostileIdsEscaped) {
    HostMetrics h = sample_host();
    h.notifier.reset();
    h.version = "1.0\"\n\xFF";
    h.plugin_totals["a\"b\\c\nd"] = {1, 0};
    const std::string page = render_host_metrics(h);
    EXPECT_EQ(page.find("orch_host_notifications"), std::string::npos);
    EXPECT_TRUE(has_line(page,
                         "orch_host_build_info{version=\"1.0\\\"\\n\xEF\xBF\xBD\","
                         "api_version=\"1.1\"} 1"))
        << page;
    EXPECT_TRUE(
        has_line(page, R"(orch_host_plugin_metric_lines_dropped_total{plugin="a\"b\\c\nd"} 1)"))
        << page;
    expect_promtool_clean(page);
}

TEST(RouteOf, FixedRoutesOnlyNeverThePath) {
    EXPECT_EQ(route_of("/queue"), Route::kQueue);
    EXPECT_EQ(route_of("/queue?x=1"), Route::kQueue);
    EXPECT_EQ(route_of("/metrics"), Route::kMetrics);
    EXPECT_EQ(route_of("/metrics/"), Route::kOther);
    EXPECT_EQ(route_of("/"), Route::kOther);
    EXPECT_EQ(route_of("/\xFF"), Route::kOther);
}

TEST(HttpRequestCounters, CountsFromManyThreadsWithoutLoss) {
    HttpRequestCounters counters;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&counters] {
            for (int i = 0; i < 10000; ++i) {
                counters.count(Route::kQueue, 200);
                counters.count(Route::kMetrics, 500);
            }
        });
    }
    for (std::thread& t : threads) {
        t.join();
    }
    const HttpRequestCounts c = counters.snapshot();
    EXPECT_EQ(c.by_route_code[0][0], 40000U);
    EXPECT_EQ(c.by_route_code[1][6], 40000U);  // 500 is the 7th counted code
}

const std::string kPrunerText =
    "# HELP build_cache_prune_runs_total Runs.\n# TYPE build_cache_prune_runs_total counter\n"
    "build_cache_prune_runs_total{host=\"h\",result=\"success\"} 3\n";

TEST(AssembleMetricsPage, HostFirstThenEachPluginsKeptLinesAndTheDropsCounted) {
    PluginMetricsLedger ledger;
    const std::vector<PluginExposition> plugins{
        {"pruner", kPrunerText, false},
        {"old_plugin", std::nullopt, false},  // a 1.0 plugin: no metrics, no ledger entry
        {"thrower", std::nullopt, true},
        {"garbage",
         "\xFF\xFE{{{\norch_host_build_info 9\nbuild_cache_prune_runs_total 1\n"
         "# HELP g_ok Kept.\n# TYPE g_ok gauge\ng_ok 1\n",
         false},
    };
    const std::string page = assemble_metrics_page(sample_host(), plugins, ledger);
    EXPECT_TRUE(page.starts_with("# HELP orch_host_build_info")) << page;
    EXPECT_NE(page.find(kPrunerText + "# HELP g_ok Kept.\n# TYPE g_ok gauge\ng_ok 1\n"),
              std::string::npos)
        << page;
    EXPECT_EQ(page.find("orch_host_build_info 9"), std::string::npos);
    EXPECT_EQ(ledger.size(), 3U);
    EXPECT_EQ(ledger.count("old_plugin"), 0U);
    EXPECT_EQ(ledger["garbage"].lines_dropped, 3U);
    EXPECT_EQ(ledger["thrower"].scrape_failures, 1U);
    EXPECT_TRUE(
        has_line(page, R"(orch_host_plugin_metric_lines_dropped_total{plugin="garbage"} 3)"));
    EXPECT_TRUE(has_line(page, R"(orch_host_plugin_metrics_failures_total{plugin="thrower"} 1)"));
    expect_promtool_clean(page);

    // Counters only grow across scrapes.
    const std::string again = assemble_metrics_page(sample_host(), plugins, ledger);
    EXPECT_TRUE(
        has_line(again, R"(orch_host_plugin_metric_lines_dropped_total{plugin="garbage"} 6)"));
    EXPECT_TRUE(has_line(again, R"(orch_host_plugin_metrics_failures_total{plugin="thrower"} 2)"));
}

// The host keeps one validation while the plugins' texts stay the same, and counts its drops
// and failures into the ledger for every scrape it serves.
TEST(AssembleMetricsPage, AReusedValidationIsCountedForEveryScrape) {
    const std::vector<PluginExposition> plugins{
        {"pruner", kPrunerText, false},
        {"thrower", std::nullopt, true},
        {"garbage", "orch_host_build_info 9\n{{{\n", false},
    };
    const ValidatedPlugins validated = validate_plugins(plugins);
    EXPECT_EQ(validated.text, kPrunerText);
    PluginMetricsLedger ledger;
    count_scrape(validated, ledger);
    count_scrape(validated, ledger);
    EXPECT_EQ(ledger["garbage"].lines_dropped, 4U);
    EXPECT_EQ(ledger["thrower"].scrape_failures, 2U);
    EXPECT_EQ(ledger["pruner"].lines_dropped, 0U);

    HostMetrics host = sample_host();
    host.plugin_totals = ledger;
    const std::string page = metrics_page(host, validated);
    EXPECT_TRUE(page.ends_with(kPrunerText)) << page;
    EXPECT_TRUE(
        has_line(page, R"(orch_host_plugin_metric_lines_dropped_total{plugin="garbage"} 4)"));
    expect_promtool_clean(page);
}

TEST(AssembleMetricsPage, APageWithNoPluginsIsValid) {
    PluginMetricsLedger ledger;
    expect_promtool_clean(assemble_metrics_page(sample_host(), {}, ledger));
}

TEST(Promtool, RejectsABrokenPageSoTheCheckCanFail) {
    const test::PromtoolResult r = test::promtool_check_metrics("x{ 1\n");
    EXPECT_NE(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace orch::host::metrics
