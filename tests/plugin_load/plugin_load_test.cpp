// The built libbuild_cache_pruner.so, loaded at run time the way a host loads it: symbols listed
// without running plugin code, descriptor checked before anything is created, then a real tick.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <boost/json/parse.hpp>

#include "orch/plugin_api/plugin_api.hpp"
#include "support/event_wait.hpp"
#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"

namespace orch::test {
namespace {

namespace api = orch::plugin_api;

class PluginLoadTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* name : {"ORCH_BUILD_CACHE_PRUNE_ENABLED", "ORCH_BUILD_CACHE_PRUNE_UNTIL",
                                 "ORCH_BUILD_CACHE_PRUNE_INTERVAL_S", "ORCH_DEPLOY_SSH_HOST",
                                 "ORCH_DEPLOY_SSH_USER"}) {
            unsetenv(name);
        }
        library_ = boost::dll::shared_library(ORCH_PLUGIN_PATH);
        // A fake ssh first on PATH: the plugin runs "ssh" exactly as it would in production.
        write_script(dir_ / "ssh", "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" +
                                       (dir_ / "argv").string() +
                                       "'\necho 'Total reclaimed space: 1.5GB'\n");
        old_path_ = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
        setenv("PATH", (dir_.path().string() + ":" + old_path_).c_str(), 1);
    }
    void TearDown() override { setenv("PATH", old_path_.c_str(), 1); }

    const api::PluginDescriptor& descriptor() {
        return *library_.get_alias<api::DescriptorFn>(api::kDescriptorSymbol)();
    }
    std::unique_ptr<api::IBackgroundTask> create(const std::string& config_json) {
        api::TaskContext context{config_json, &logger_, &notifier_};
        return library_.get_alias<api::FactoryFn>(api::kFactorySymbol)(context);
    }

    TempDir dir_;
    boost::dll::shared_library library_;
    RecordingLogger logger_;
    RecordingNotifier notifier_;
    std::string old_path_;
};

TEST(PluginSymbols, ListedInTheirSectionWithoutLoadingTheLibrary) {
    boost::dll::library_info info(ORCH_PLUGIN_PATH);
    const auto symbols = info.symbols(api::kSymbolSection);
    EXPECT_NE(std::find(symbols.begin(), symbols.end(), api::kDescriptorSymbol), symbols.end());
    EXPECT_NE(std::find(symbols.begin(), symbols.end(), api::kFactorySymbol), symbols.end());
}

TEST_F(PluginLoadTest, DescriptorIsCompatibleWithThisHost) {
    const auto& d = descriptor();
    EXPECT_STREQ(d.plugin_id, "build_cache_pruner");
    EXPECT_STREQ(d.plugin_version, ORCH_PROJECT_VERSION);
    EXPECT_EQ(d.api_major, api::kApiMajor);
    const auto verdict = api::check_compatibility(d, api::host_descriptor());
    EXPECT_TRUE(verdict.ok) << verdict.reason;
}

TEST_F(PluginLoadTest, NewerMajorHostRejectsIt) {
    auto host = api::host_descriptor();
    host.api_major += 1;
    const auto verdict = api::check_compatibility(descriptor(), host);
    EXPECT_FALSE(verdict.ok);
    EXPECT_NE(verdict.reason.find("build_cache_pruner"), std::string::npos) << verdict.reason;
}

TEST_F(PluginLoadTest, FactoryCreatesATaskThatPrunesThroughSsh) {
    auto task = create(R"({"deploy_ssh_host": "build-host", "build_cache_prune_until": "7d",
                          "build_cache_prune_all": true})");
    task->tick();
    const auto s = boost::json::parse(task->status()).as_object();
    EXPECT_TRUE(s.at("last_error").is_null()) << s;
    EXPECT_EQ(s.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 1'500'000'000u);
    EXPECT_EQ(s.at("until").as_string(), "168h");
    const std::string argv = read_file(dir_ / "argv");
    EXPECT_NE(argv.find("build-host\ndocker builder prune -f -a --filter until=168h"),
              std::string::npos)
        << argv;
    task->stop();
}

TEST_F(PluginLoadTest, EnvironmentOverridesTheManifestConfig) {
    setenv("ORCH_BUILD_CACHE_PRUNE_UNTIL", "2w", 1);
    auto task = create(R"({"build_cache_prune_until": "7d"})");
    unsetenv("ORCH_BUILD_CACHE_PRUNE_UNTIL");
    EXPECT_EQ(boost::json::parse(task->status()).at("until").as_string(), "336h");
}

TEST_F(PluginLoadTest, NoTargetTickIsANoOp) {
    auto task = create("{}");
    task->tick();
    const auto s = boost::json::parse(task->status()).as_object();
    EXPECT_NE(std::string(s.at("last_error").as_string()).find("no ssh host"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "argv"));
}

TEST_F(PluginLoadTest, BadConfigTextIsAWarningNotACrash) {
    auto task = create("[1,2");
    const auto s = boost::json::parse(task->status()).as_object();
    ASSERT_FALSE(s.at("config_warnings").as_array().empty());
    EXPECT_NE(std::string(s.at("config_warnings").as_array()[0].as_string()).find("not valid JSON"),
              std::string::npos);
    EXPECT_TRUE(s.at("enabled").as_bool());
}

TEST_F(PluginLoadTest, KillSwitchFromTheManifestKeepsItFromStarting) {
    const int before = thread_count("cache-pruner");
    auto task = create(R"({"build_cache_prune_enabled": false, "deploy_ssh_host": "h"})");
    task->start();
    EXPECT_EQ(settled_thread_count("cache-pruner", before), before);
    task->tick();
    EXPECT_FALSE(std::filesystem::exists(dir_ / "argv"));
    EXPECT_FALSE(boost::json::parse(task->status()).at("enabled").as_bool());
}

TEST_F(PluginLoadTest, StartAndStopThroughTheInterface) {
    auto task = create(R"({"deploy_ssh_host": "build-host"})");
    const int before = thread_count("cache-pruner");
    task->start();
    EXPECT_TRUE(logger_.wait_for("reclaimed 1.5GB", std::chrono::seconds(10)));
    task->stop();
    EXPECT_EQ(settled_thread_count("cache-pruner", before), before);
}

}  // namespace
}  // namespace orch::test
