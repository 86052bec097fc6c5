// The versioning rule with real libraries: a host of a newer minor (here a host that knows a
// capability "added in 1.1") drives a plugin built as 1.0 exactly as a 1.0 host would. The 1.0
// plugin even exports the new capability's name and logs every call made into it, so a host that
// looked the capability up by name or called it would show here; the same plugin declaring 1.1
// shows the host does find and call it when the plugin's minor allows.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "host/plugins/test_capability.hpp"
#include "loading/plugin_loader.hpp"
#include "metrics/plugin_metrics_read.hpp"
#include "orch/plugin_api/metrics.hpp"
#include "support/promtool.hpp"
#include "support/recording_services.hpp"

namespace orch::host {
namespace {

namespace api = orch::plugin_api;
using test_plugins::kTestCapability;
using test_plugins::TestCapabilityAccessorFn;

const std::filesystem::path kPluginDir = ORCH_TEST_PLUGIN_DIR;

// What a host of API 1.1 would be built with, had 1.1 added the test capability.
constexpr std::array<api::Capability, 1> kNewerHostCapabilities{kTestCapability};
const HostApi kNewerHost{1, kNewerHostCapabilities};

Manifest manifest(const std::string& id, std::uint32_t minor) {
    Manifest m;
    m.file_name = id + ".json";
    m.id = id;
    m.library = "libtest_plugin_" + id + ".so";
    m.api_version = {1, minor};
    m.queue_key = id;
    m.config_json = "{}";
    return m;
}

class CapabilityLoadingTest : public ::testing::Test {
  protected:
    LoadResult load(const Manifest& m, const HostApi& host) {
        PluginLoader loader(kPluginDir, libraries_,
                            PluginServices{[this](const std::string&) {
                                               auto logger =
                                                   std::make_unique<test::RecordingLogger>();
                                               logger_ = logger.get();
                                               return logger;
                                           },
                                           &notifier_},
                            host);
        return loader.load(m);
    }

    // Every call the plugin saw, in order ("create", "start", ...).
    std::vector<std::string> calls() const {
        std::vector<std::string> out;
        for (const auto& e : logger_->entries()) {
            out.push_back(e.message.substr(e.message.find(' ') + 1));
        }
        return out;
    }

    // What a host does with a plugin over its life.
    static void drive(api::IBackgroundTask& task) {
        task.start();
        task.tick();
        (void)task.status();
        task.stop();
    }

    LibraryRegistry libraries_;
    test::RecordingNotifier notifier_;
    test::RecordingLogger* logger_ = nullptr;
};

TEST_F(CapabilityLoadingTest, APlugin10InANewerHostGetsNoLookupAndNoNewCall) {
    const LoadResult r = load(manifest("capability_1_0", 0), kNewerHost);
    ASSERT_TRUE(r.plugin) << r.error;
    EXPECT_TRUE(r.warnings.empty());
    // The library does export orch_test_capability: only its declared minor keeps it unseen.
    ASSERT_TRUE(libraries_.size() == 1U);
    EXPECT_TRUE(r.plugin->capabilities.symbols().empty());
    EXPECT_FALSE(r.plugin->capabilities.offers(kTestCapability));
    EXPECT_EQ(r.plugin->capabilities.accessor<TestCapabilityAccessorFn>(kTestCapability), nullptr);
    drive(*r.plugin->task);
    EXPECT_EQ(calls(), (std::vector<std::string>{"create", "start", "tick", "status", "stop"}));
}

TEST_F(CapabilityLoadingTest, APlugin11InTheSameHostOffersTheCapabilityAndItIsCalled) {
    const LoadResult r = load(manifest("capability_1_1", 1), kNewerHost);
    ASSERT_TRUE(r.plugin) << r.error;
    EXPECT_EQ(r.plugin->capabilities.symbols(), std::vector<std::string>{kTestCapability.symbol});
    auto* accessor = r.plugin->capabilities.accessor<TestCapabilityAccessorFn>(kTestCapability);
    ASSERT_NE(accessor, nullptr);
    test_plugins::ITestCapability* capability = accessor(*r.plugin->task);
    ASSERT_NE(capability, nullptr);
    EXPECT_EQ(capability->answer(), "42");
    EXPECT_EQ(calls(), (std::vector<std::string>{"create", "capability", "answer"}));
}

TEST_F(CapabilityLoadingTest, AHostBuiltAs10RefusesThe11PluginAndOffersNothingTo10) {
    const HostApi host10{0, {}};
    const LoadResult newer = load(manifest("capability_1_1", 0), host10);
    EXPECT_FALSE(newer.plugin);
    EXPECT_NE(newer.error.find("plugin API 1.1 is newer than host API 1.0"), std::string::npos)
        << newer.error;
    const LoadResult old = load(manifest("capability_1_0", 0), host10);
    ASSERT_TRUE(old.plugin) << old.error;
    EXPECT_TRUE(old.plugin->capabilities.symbols().empty());
}

TEST_F(CapabilityLoadingTest, APlainRecorderPluginLoadsInTheNewerHostWithNoCapabilities) {
    Manifest m = manifest("recorder_a", 0);
    m.library = "libtest_plugin_recorder_a.so";
    const LoadResult r = load(m, kNewerHost);
    ASSERT_TRUE(r.plugin) << r.error;
    EXPECT_TRUE(r.plugin->capabilities.symbols().empty());
}

// API 1.1's metrics capability (orch/plugin_api/metrics.hpp), in this host as built.

Manifest metrics_manifest(const std::string& behaviour, std::uint32_t minor) {
    Manifest m = manifest("metrics_" + behaviour, minor);
    m.library = "libtest_plugin_metrics_" + behaviour + ".so";
    return m;
}

TEST_F(CapabilityLoadingTest, ThisHostIsApi11AndKnowsTheMetricsCapability) {
    EXPECT_EQ(api::kApiMinor, 1U);
    ASSERT_EQ(HostApi{}.capabilities.size(), 1U);
    EXPECT_STREQ(HostApi{}.capabilities[0].symbol, api::kMetrics.symbol);
}

TEST_F(CapabilityLoadingTest, AMetrics10PluginRunsInThisHostAndIsNeverAskedForMetrics) {
    const LoadResult r = load(metrics_manifest("1_0", 0), HostApi{});
    ASSERT_TRUE(r.plugin) << r.error;
    EXPECT_TRUE(r.warnings.empty());
    // It exports orch_metrics, but a 1.0 plugin cannot have it: not looked up, not called.
    EXPECT_TRUE(r.plugin->capabilities.symbols().empty());
    drive(*r.plugin->task);
    const metrics::PluginExposition e =
        metrics::read_plugin_metrics("metrics_1_0", r.plugin->capabilities, *r.plugin->task);
    EXPECT_FALSE(e.text);
    EXPECT_FALSE(e.failed);
    EXPECT_EQ(calls(), (std::vector<std::string>{"create", "start", "tick", "status", "stop"}));
}

TEST_F(CapabilityLoadingTest, AMetrics11PluginIsRefusedByAHostBuiltAs10) {
    const LoadResult r = load(metrics_manifest("good", 0), HostApi{0, {}});
    EXPECT_FALSE(r.plugin);
    EXPECT_NE(r.error.find("plugin API 1.1 is newer than host API 1.0"), std::string::npos)
        << r.error;
}

TEST_F(CapabilityLoadingTest, AMetrics11PluginsTextReachesThePage) {
    const LoadResult r = load(metrics_manifest("good", 1), HostApi{});
    ASSERT_TRUE(r.plugin) << r.error;
    EXPECT_EQ(r.plugin->capabilities.symbols(), std::vector<std::string>{api::kMetrics.symbol});
    const metrics::PluginExposition e =
        metrics::read_plugin_metrics("metrics_good", r.plugin->capabilities, *r.plugin->task);
    ASSERT_TRUE(e.text);
    EXPECT_NE(e.text->find("test_metrics_good_ticks_total 1\n"), std::string::npos);
    EXPECT_EQ(calls(), (std::vector<std::string>{"create", "metrics", "metrics_text"}));
}

// Plugins that throw, return garbage or have no source next to a good one: the page keeps the
// host's metrics and the good plugin's, counts the rest, and promtool accepts it.
TEST_F(CapabilityLoadingTest, PluginsWhoseMetricsThrowOrAreGarbageDoNotBreakThePage) {
    std::vector<metrics::PluginExposition> scraped;
    std::vector<LoadedPlugin> keep;
    for (const std::string& behaviour :
         std::vector<std::string>{"throws", "garbage", "none", "good"}) {
        LoadResult r = load(metrics_manifest(behaviour, 1), HostApi{});
        ASSERT_TRUE(r.plugin) << r.error;
        scraped.push_back(metrics::read_plugin_metrics("metrics_" + behaviour,
                                                       r.plugin->capabilities, *r.plugin->task));
        keep.push_back(std::move(*r.plugin));
    }
    EXPECT_TRUE(scraped[0].failed);
    EXPECT_FALSE(scraped[0].text);
    EXPECT_FALSE(scraped[1].failed);
    EXPECT_FALSE(scraped[2].text);
    EXPECT_FALSE(scraped[2].failed);

    metrics::PluginMetricsLedger ledger;
    metrics::HostMetrics host;
    host.version = "test";
    host.api_version = "1.1";
    const std::string page = metrics::assemble_metrics_page(host, scraped, ledger);
    EXPECT_NE(page.find("test_metrics_good_ticks_total 1\n"), std::string::npos) << page;
    EXPECT_NE(page.find("orch_host_plugin_metrics_failures_total{plugin=\"metrics_throws\"} 1"),
              std::string::npos)
        << page;
    EXPECT_EQ(page.find("evil"), std::string::npos) << page;
    EXPECT_EQ(ledger["metrics_garbage"].lines_dropped, 4U);
    const test::PromtoolResult check = test::promtool_check_metrics(page);
    EXPECT_EQ(check.exit_code, 0) << check.output << "\n--- page ---\n" << page;
}

}  // namespace
}  // namespace orch::host
