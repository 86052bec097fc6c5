// Lifespan with real plugin libraries: start in order (ties by id), stop in reverse, a failing
// start contained or fatal when required, ticks, snapshots, teardown order.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <sstream>

#include "lifespan/plugin_registry.hpp"
#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"

namespace orch::host {
namespace {

namespace fs = std::filesystem;

const fs::path kPluginDir = ORCH_TEST_PLUGIN_DIR;

class PluginRegistryTest : public ::testing::Test {
  protected:
    // A record for `id` built from test_plugin_<target>, loaded for real.
    PluginRecord record(const std::string& id, const std::string& target, int order,
                        bool required = false, bool enabled = true) {
        Manifest m;
        m.file_name = id + ".json";
        m.id = id;
        m.library = "lib" + target + ".so";
        m.api_version = {1, 0};
        m.queue_key = id + "_q";
        m.order = order;
        m.required = required;
        m.enabled = enabled;
        m.config_json = R"({"record_file":")" + record_file_.string() + R"("})";
        PluginRecord r{m, std::nullopt, {}};
        if (!enabled) {
            return r;
        }
        PluginLoader loader(
            kPluginDir, libraries_,
            {[](const std::string&) { return std::make_unique<test::RecordingLogger>(); },
             &notifier_});
        LoadResult loaded = loader.load(m);
        r.loaded = std::move(loaded.plugin);
        r.load_error = loaded.error;
        return r;
    }
    PluginRecord recorder(char which, int order) {
        return record(std::string("recorder_") + which,
                      std::string("test_plugin_recorder_") + which, order);
    }

    std::vector<std::string> recorded() {
        std::vector<std::string> lines;
        std::istringstream in(test::read_file(record_file_));
        for (std::string line; std::getline(in, line);) {
            lines.push_back(line);
        }
        return lines;
    }

    test::TempDir dir_;
    fs::path record_file_ = dir_ / "record.txt";
    LibraryRegistry libraries_;  // before the registries: outlives every task
    test::RecordingNotifier notifier_;
    test::RecordingLogger log_;
};

TEST_F(PluginRegistryTest, StartsInOrderStopsInReverseAndDestroysInReverse) {
    std::vector<PluginRecord> records;
    records.push_back(recorder('a', 30));
    records.push_back(recorder('b', 10));
    records.push_back(recorder('c', 20));
    {
        PluginRegistry registry(std::move(records), log_);
        EXPECT_TRUE(registry.start_all());
        for (const auto& s : registry.snapshot()) {
            EXPECT_EQ(s.state, PluginState::kRunning) << s.id;
        }
        registry.stop_all();
        registry.stop_all();  // idempotent: nothing is stopped twice
        for (const auto& s : registry.snapshot()) {
            EXPECT_EQ(s.state, PluginState::kStopped) << s.id;
        }
    }
    EXPECT_EQ(recorded(), (std::vector<std::string>{
                              "create recorder_a", "create recorder_b", "create recorder_c",
                              "start recorder_b", "start recorder_c", "start recorder_a",
                              "stop recorder_a", "stop recorder_c", "stop recorder_b",
                              "destroy recorder_a", "destroy recorder_c", "destroy recorder_b"}));
}

TEST_F(PluginRegistryTest, EqualOrdersStartById) {
    std::vector<PluginRecord> records;
    records.push_back(recorder('c', 5));
    records.push_back(recorder('a', 5));
    records.push_back(recorder('b', 5));
    PluginRegistry registry(std::move(records), log_);
    registry.start_all();
    registry.stop_all();
    const auto lines = recorded();
    const std::vector<std::string> starts(lines.begin() + 3, lines.begin() + 9);
    EXPECT_EQ(starts,
              (std::vector<std::string>{"start recorder_a", "start recorder_b", "start recorder_c",
                                        "stop recorder_c", "stop recorder_b", "stop recorder_a"}));
}

TEST_F(PluginRegistryTest, AFailingStartIsContainedAndTheOthersRun) {
    std::vector<PluginRecord> records;
    records.push_back(recorder('a', 1));
    records.push_back(record("start_throws", "test_plugin_start_throws", 2));
    records.push_back(recorder('b', 3));
    PluginRegistry registry(std::move(records), log_);
    EXPECT_TRUE(registry.start_all());
    const auto snap = registry.snapshot();
    ASSERT_EQ(snap.size(), 3U);
    EXPECT_EQ(snap[0].state, PluginState::kRunning);
    EXPECT_EQ(snap[1].state, PluginState::kFailed);
    EXPECT_EQ(snap[1].error, "start() threw: cannot start: the test plugin always fails here");
    EXPECT_EQ(snap[2].state, PluginState::kRunning);
    EXPECT_TRUE(registry.required_failures().empty());
    EXPECT_TRUE(
        log_.contains("plugin 'start_throws' failed to start: start() threw: cannot "
                      "start: the test plugin always fails here; the other plugins go on"));
    registry.stop_all();
    EXPECT_EQ(registry.snapshot()[1].state, PluginState::kFailed);  // keeps its error
}

TEST_F(PluginRegistryTest, ARequiredPluginFailingToStartStopsTheStartUp) {
    std::vector<PluginRecord> records;
    records.push_back(recorder('a', 1));
    records.push_back(record("start_throws", "test_plugin_start_throws", 2, /*required=*/true));
    records.push_back(recorder('b', 3));
    PluginRegistry registry(std::move(records), log_);
    EXPECT_FALSE(registry.start_all());
    ASSERT_EQ(registry.required_failures().size(), 1U);
    EXPECT_EQ(registry.required_failures()[0],
              "required plugin 'start_throws' failed: start() threw: cannot start: the test "
              "plugin always fails here");
    registry.stop_all();
    const auto lines = recorded();
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "start recorder_b"), 0);
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "stop recorder_a"), 1);
}

TEST_F(PluginRegistryTest, DisabledAndRefusedPluginsAreListedWithoutTasks) {
    std::vector<PluginRecord> records;
    records.push_back(record("recorder_c", "test_plugin_recorder_c", 1, false, /*enabled=*/false));
    records.push_back(record("ghost", "test_plugin_ghost", 2, /*required=*/true));
    PluginRegistry registry(std::move(records), log_);
    const auto snap = registry.snapshot();
    ASSERT_EQ(snap.size(), 2U);
    EXPECT_EQ(snap[0].state, PluginState::kDisabled);
    EXPECT_FALSE(snap[0].status_text);
    EXPECT_EQ(snap[1].state, PluginState::kFailed);
    EXPECT_NE(snap[1].error.find("library does not exist"), std::string::npos);
    ASSERT_EQ(registry.required_failures().size(), 1U);
    EXPECT_TRUE(registry.start_all());       // nothing to start
    EXPECT_FALSE(fs::exists(record_file_));  // the disabled plugin's code never ran
}

TEST_F(PluginRegistryTest, TickAllTicksEveryLoadedPluginOnceInOrderWithoutStarting) {
    std::vector<PluginRecord> records;
    records.push_back(recorder('b', 2));
    records.push_back(recorder('a', 1));
    PluginRegistry registry(std::move(records), log_);
    const std::atomic<bool> cancel{false};
    registry.tick_all(cancel);
    const auto snap = registry.snapshot();
    EXPECT_EQ(snap[0].state, PluginState::kLoaded);
    ASSERT_TRUE(snap[0].status_text);
    EXPECT_NE(snap[0].status_text->find(R"("ticks":1)"), std::string::npos);
    registry.stop_all();
    EXPECT_EQ(recorded(),
              (std::vector<std::string>{"create recorder_b", "create recorder_a", "tick recorder_a",
                                        "tick recorder_b", "stop recorder_b", "stop recorder_a"}));
}

TEST_F(PluginRegistryTest, TickAllHonoursCancel) {
    std::vector<PluginRecord> records;
    records.push_back(recorder('a', 1));
    PluginRegistry registry(std::move(records), log_);
    const std::atomic<bool> cancel{true};
    registry.tick_all(cancel);
    EXPECT_NE(registry.snapshot()[0].status_text->find(R"("ticks":0)"), std::string::npos);
}

TEST(StartOrder, IsOrderThenId) {
    Manifest a;
    a.id = "a";
    a.order = 2;
    Manifest b;
    b.id = "b";
    b.order = 1;
    EXPECT_TRUE(starts_before(b, a));
    b.order = 2;
    EXPECT_TRUE(starts_before(a, b));
    EXPECT_FALSE(starts_before(a, a));
}

}  // namespace
}  // namespace orch::host
