// GET /metrics of the host_stub binary with the real metrics test plugins (API 1.1): the host's
// own families, a good plugin's samples, and plugins whose metrics throw, return garbage, return
// no source, or that are 1.0 plugins, none of which may break /metrics or /queue. Each page goes
// through the real `promtool check metrics`.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include <boost/json/parse.hpp>

#include "host/support/host_fixture.hpp"
#include "support/promtool.hpp"

namespace orch::test {
namespace {

namespace json = boost::json;

bool has_line(const std::string& page, const std::string& line) {
    return ("\n" + page).find("\n" + line + "\n") != std::string::npos;
}

void expect_promtool_clean(const std::string& page) {
    const PromtoolResult r = promtool_check_metrics(page);
    EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- page ---\n" << page;
}

using HostMetricsEndpointTest = HostFixture;

TEST_F(HostMetricsEndpointTest, ServesHostAndPluginMetricsAndSurvivesBadPlugins) {
    add_plugin_manifest("metrics_good", "test_plugin_metrics_good", 1);
    add_plugin_manifest("metrics_throws", "test_plugin_metrics_throws", 2);
    add_plugin_manifest("metrics_garbage", "test_plugin_metrics_garbage", 3);
    add_plugin_manifest("metrics_none", "test_plugin_metrics_none", 4);
    add_plugin_manifest("metrics_1_0", "test_plugin_metrics_1_0", 5);
    add_manifest({.id = "off", .library = "libghost.so", .order = 6, .enabled = false});
    auto host = serve();
    ASSERT_NE(port_, 0);

    for (int scrape = 1; scrape <= 2; ++scrape) {
        SCOPED_TRACE("scrape " + std::to_string(scrape));
        const HttpResponse r = http_request(port_, "GET", "/metrics");
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
        expect_promtool_clean(r.body);
        EXPECT_TRUE(has_line(r.body, "test_metrics_good_ticks_total 1")) << r.body;
        EXPECT_TRUE(has_line(r.body, R"(orch_host_plugins{state="running"} 5)")) << r.body;
        EXPECT_TRUE(has_line(r.body, R"(orch_host_plugins{state="disabled"} 1)")) << r.body;
        // Counters kept across scrapes: one failure per scrape of the throwing plugin.
        EXPECT_TRUE(has_line(
            r.body, R"(orch_host_plugin_metrics_failures_total{plugin="metrics_throws"} )" +
                        std::to_string(scrape)))
            << r.body;
        EXPECT_EQ(r.body.find("evil"), std::string::npos) << r.body;
        EXPECT_EQ(r.body.find("test_metrics_1_0"), std::string::npos) << r.body;
        EXPECT_NE(r.body.find(
                      R"(orch_host_plugin_metric_lines_dropped_total{plugin="metrics_garbage"} )"),
                  std::string::npos)
            << r.body;
        EXPECT_EQ(r.body.find(R"(plugin="metrics_none")"), std::string::npos) << r.body;
        EXPECT_NE(r.body.find("orch_host_build_info{version=\""), std::string::npos) << r.body;
    }
    // /metrics did not disturb /queue; the bad plugins are all still running.
    const json::object queue = get_queue();
    for (const auto& p : queue.at("plugins").as_array()) {
        if (p.at("id") != "off") {
            EXPECT_EQ(p.at("state"), "running") << p;
        }
    }
    EXPECT_EQ(http_request(port_, "GET", "/nope").status, 404);
    EXPECT_EQ(http_request(port_, "POST", "/metrics").status, 405);

    // Every response counted, 404 and 405 included (this scrape counts itself only afterwards).
    const HttpResponse last = http_request(port_, "GET", "/metrics");
    EXPECT_TRUE(
        has_line(last.body, R"(orch_host_http_requests_total{route="/metrics",code="200"} 2)"))
        << last.body;
    EXPECT_TRUE(
        has_line(last.body, R"(orch_host_http_requests_total{route="/metrics",code="405"} 1)"))
        << last.body;
    EXPECT_TRUE(
        has_line(last.body, R"(orch_host_http_requests_total{route="/queue",code="200"} 1)"))
        << last.body;
    EXPECT_TRUE(has_line(last.body, R"(orch_host_http_requests_total{route="other",code="404"} 1)"))
        << last.body;
    expect_promtool_clean(last.body);

    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(), 0);
}

}  // namespace
}  // namespace orch::test
