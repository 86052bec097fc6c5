// host_stub with the real libbuild_cache_pruner.so and the bundled manifest: the out-of-the-box
// run, the kill-switch, and SIGTERM while a prune (a fake ssh that never finishes) is in flight.
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "host/support/host_fixture.hpp"
#include "support/event_wait.hpp"
#include "support/file_wait.hpp"
#include "support/promtool.hpp"

namespace orch::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

const fs::path kPlugin = ORCH_TEST_PRUNER_PLUGIN;
const fs::path kBundledManifest = ORCH_TEST_BUNDLED_MANIFEST;
const fs::path kFixtures = ORCH_TEST_FIXTURES_DIR;

// The value of "<key> <value>" lines in a fake ssh record.
std::vector<std::string> record_values(const std::string& record, const std::string& key) {
    std::vector<std::string> values;
    std::istringstream in(record);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key + " ", 0) == 0) {
            values.push_back(line.substr(key.size() + 1));
        }
    }
    return values;
}

class HostPrunerTest : public HostFixture {
  protected:
    HostPrunerTest() {
        fs::copy_file(kPlugin, plugins_ / kPlugin.filename());
        fs::copy_file(kBundledManifest, manifests_ / kBundledManifest.filename());
        fs::create_directories(bin_);
    }

    // The environment of a clean machine (nothing of the developer's ORCH_* leaks in) plus a
    // fake ssh first on PATH.
    std::map<std::string, std::string> env(const std::string& fake_ssh,
                                           std::map<std::string, std::string> extra = {}) {
        fs::copy_file(kFixtures / "host" / fake_ssh, bin_ / "ssh",
                      fs::copy_options::overwrite_existing);
        std::map<std::string, std::string> e{
            {"PATH", bin_.string() + ":" + (std::getenv("PATH") ? std::getenv("PATH") : "")},
            {"FAKE_SSH_RECORD", ssh_record_.string()}};
        for (const char* name : {"ORCH_DEPLOY_SSH_HOST",
                                 "ORCH_DEPLOY_SSH_USER",
                                 "ORCH_DEPLOY_SSH_PORT",
                                 "ORCH_DEPLOY_SSH_IDENTITY_FILE",
                                 "ORCH_DEPLOY_SSH_KNOWN_HOSTS_FILE",
                                 "ORCH_DEPLOY_SSH_STRICT_HOST_KEY",
                                 "ORCH_BUILD_CACHE_PRUNE_ENABLED",
                                 "ORCH_BUILD_CACHE_PRUNE_INTERVAL_S",
                                 "ORCH_BUILD_CACHE_PRUNE_UNTIL",
                                 "ORCH_BUILD_CACHE_PRUNE_ALL",
                                 "ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S",
                                 "ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB",
                                 "ORCH_BUILD_CACHE_PRUNE_MIN_FREE",
                                 "ORCH_BUILD_CACHE_PRUNE_MAX_CACHE",
                                 "ORCH_BUILD_CACHE_PRUNE_RESERVED",
                                 "ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S",
                                 "ORCH_BUILD_CACHE_PRUNE_DRY_RUN",
                                 "ORCH_TELEGRAM_BOT_TOKEN",
                                 "ORCH_TELEGRAM_CHAT_ID",
                                 "ORCH_TELEGRAM_API_URL"}) {
            e[name] = "";  // unset
        }
        for (auto& [k, v] : extra) {
            e[k] = v;
        }
        return e;
    }

    fs::path bin_ = dir_ / "bin";
    fs::path ssh_record_ = dir_ / "ssh.record";
};

TEST_F(HostPrunerTest, BundledManifestOutOfTheBoxIsASafeNoOp) {
    const std::string out = run_once(env("ssh_records_call.sh"));
    ASSERT_EQ(exit_code_, 0) << stderr_;
    const json::object queue = json::parse(out).as_object();
    const auto& plugin = queue.at("plugins").as_array().at(0).as_object();
    EXPECT_EQ(plugin.at("id"), "build_cache_pruner");
    EXPECT_EQ(plugin.at("queue_key"), "build_cache_prune");
    EXPECT_EQ(plugin.at("version"), ORCH_TEST_PROJECT_VERSION);
    EXPECT_TRUE(plugin.at("error").is_null());
    const json::object& block = queue.at("build_cache_prune").as_object();
    EXPECT_EQ(block.at("enabled"), true);
    EXPECT_EQ(block.at("interval_s"), 21600);
    EXPECT_EQ(block.at("until"), "24h");
    EXPECT_EQ(block.at("all"), false);
    ASSERT_TRUE(block.at("last_error").is_string()) << json::serialize(block);
    EXPECT_NE(std::string(block.at("last_error").as_string()).find("no ssh host"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(ssh_record_)) << "ssh ran without a host";
    EXPECT_EQ(stderr_.find("unknown key"), std::string::npos) << stderr_;
    EXPECT_EQ(stderr_.find("not known and was ignored"), std::string::npos) << stderr_;
}

TEST_F(HostPrunerTest, OncePrunesThroughSshWhenAHostIsConfigured) {
    const std::string out =
        run_once(env("ssh_records_call.sh", {{"ORCH_DEPLOY_SSH_HOST", "build-host.invalid"}}));
    ASSERT_EQ(exit_code_, 0) << stderr_;
    const json::value queue = json::parse(out);
    const json::object& block = queue.at("build_cache_prune").as_object();
    EXPECT_TRUE(block.at("last_error").is_null()) << json::serialize(block);
    EXPECT_EQ(block.at("last_reclaimed_bytes"), 1500000000);
    // Issue 10: min_free defaults to 10%, so --once probes first. This fake answers the probe
    // like a prune, so the probe fails, which must not block the age prune.
    ASSERT_TRUE(block.at("last_probe_error").is_string()) << json::serialize(block);
    const auto calls = record_values(read_file(ssh_record_), "called");
    ASSERT_EQ(calls.size(), 2U);
    EXPECT_NE(calls[0].find("@@root"), std::string::npos) << calls[0];
    EXPECT_NE(calls[1].find("build-host.invalid"), std::string::npos) << calls[1];
    EXPECT_NE(calls[1].find("docker builder prune -f --filter until=24h"), std::string::npos)
        << calls[1];
}

TEST_F(HostPrunerTest, OnceWithMinFreeOffRunsOnlyThePruneAsTheOriginal) {
    const std::string out =
        run_once(env("ssh_records_call.sh", {{"ORCH_DEPLOY_SSH_HOST", "build-host.invalid"},
                                             {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "0"}}));
    ASSERT_EQ(exit_code_, 0) << stderr_;
    const json::value queue = json::parse(out);
    const json::object& block = queue.at("build_cache_prune").as_object();
    EXPECT_TRUE(block.at("last_probe_ts").is_null()) << json::serialize(block);
    const auto calls = record_values(read_file(ssh_record_), "called");
    ASSERT_EQ(calls.size(), 1U);
    EXPECT_NE(calls[0].find("docker builder prune -f --filter until=24h"), std::string::npos)
        << calls[0];
}

TEST_F(HostPrunerTest, KillSwitchOffMeansNoSshEvenForOnce) {
    const std::string out =
        run_once(env("ssh_records_call.sh", {{"ORCH_DEPLOY_SSH_HOST", "build-host.invalid"},
                                             {"ORCH_BUILD_CACHE_PRUNE_ENABLED", "false"}}));
    ASSERT_EQ(exit_code_, 0) << stderr_;
    EXPECT_EQ(json::parse(out).at("build_cache_prune").at("enabled"), false);
    EXPECT_FALSE(fs::exists(ssh_record_)) << read_file(ssh_record_);
}

TEST_F(HostPrunerTest, ServesTheBuildCachePruneBlock) {
    auto host = serve(env("ssh_records_call.sh"));
    ASSERT_NE(port_, 0);
    const json::object queue = get_queue();
    EXPECT_EQ(queue.at("build_cache_prune").at("enabled"), true);
    EXPECT_EQ(queue.at("plugins").as_array().at(0).at("state"), "running");
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(), 0);
}

// The first scheduled prune starts at start-up and blocks in the fake ssh; SIGTERM must end the
// host promptly and leave neither ssh nor its child behind. (Space checks off, so the blocked
// ssh is the prune, not the probe.)
TEST_F(HostPrunerTest, SigtermDuringAnInFlightPruneExitsPromptlyAndLeavesNoProcess) {
    auto host = serve(
        env("ssh_blocks_like_a_long_prune.sh", {{"ORCH_DEPLOY_SSH_HOST", "build-host.invalid"},
                                                {"ORCH_BUILD_CACHE_PRUNE_MIN_FREE", "0"}}));
    ASSERT_NE(port_, 0);
    ASSERT_TRUE(wait_for_file_text(ssh_record_, "blocking\n")) << host->stderr_text();
    const std::string record = read_file(ssh_record_);
    const auto ssh_pids = record_values(record, "ssh_pid");
    const auto child_pids = record_values(record, "child_pid");
    ASSERT_EQ(ssh_pids.size(), 1U);
    ASSERT_EQ(child_pids.size(), 1U);

    const auto q0 = Clock::now();
    const json::object queue = get_queue();
    const auto queue_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - q0).count();
    EXPECT_EQ(queue.at("build_cache_prune").at("in_flight"), true);

    const auto t0 = Clock::now();
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(10s), 0) << host->stderr_text();
    const auto stop_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    std::cout << "GET /queue during prune: " << queue_ms << " ms; SIGTERM to exit: " << stop_ms
              << " ms\n";
    RecordProperty("sigterm_to_exit_ms_in_flight_prune", std::to_string(stop_ms));
    EXPECT_LT(stop_ms, 5000);
    // The host is gone; its children must be too (they were not the test's children).
    for (const auto& pid : {ssh_pids[0], child_pids[0]}) {
        EXPECT_TRUE(wait_for_process_exit(static_cast<pid_t>(std::stoi(pid)), 5s))
            << "process " << pid << " outlived the host";
    }
}

TEST_F(HostPrunerTest, SigtermDuringOncePruneExitsPromptlyAndLeavesNoProcess) {
    auto host = start({"--once"}, env("ssh_blocks_like_a_long_prune.sh",
                                      {{"ORCH_DEPLOY_SSH_HOST", "build-host.invalid"}}));
    ASSERT_TRUE(wait_for_file_text(ssh_record_, "blocking\n")) << host->stderr_text();
    const std::string record = read_file(ssh_record_);
    host->send_signal(SIGTERM);
    const auto out = host->read_stdout_to_eof(10s);
    // Interrupted, nothing pruned: 128 + SIGTERM, never 0.
    EXPECT_EQ(host->wait_exit(10s), 143) << host->stderr_text();
    ASSERT_TRUE(out);
    EXPECT_EQ(json::parse(*out).at("build_cache_prune").at("in_flight"), false);
    for (const auto& pid :
         {record_values(record, "ssh_pid").at(0), record_values(record, "child_pid").at(0)}) {
        EXPECT_TRUE(wait_for_process_exit(static_cast<pid_t>(std::stoi(pid)), 5s))
            << "process " << pid << " outlived the host";
    }
}

// GET /metrics with the real plugin: the page promtool accepts at start, after a prune and after a
// failure, and build_cache_prune_runs_total agreeing with the counters /queue shows.
std::string metric_line(const std::string& page, const std::string& series) {
    const auto at = ("\n" + page).find("\n" + series + " ");
    if (at == std::string::npos) {
        return {};
    }
    return page.substr(at, page.find('\n', at) - at);
}

std::string runs_series(const std::string& host, const std::string& result) {
    return "build_cache_prune_runs_total{host=\"" + host + "\",result=\"" + result + "\"}";
}

std::string metrics_page(std::uint16_t port) {
    const HttpResponse r = http_request(port, "GET", "/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    const PromtoolResult check = promtool_check_metrics(r.body);
    EXPECT_EQ(check.exit_code, 0) << check.output << "\n--- page ---\n" << r.body;
    return r.body;
}

std::uint64_t queue_counter(const json::object& queue, const char* key) {
    return queue.at("build_cache_prune").at(key).to_number<std::uint64_t>();
}

TEST_F(HostPrunerTest, MetricsAtStartWithoutATargetCountTheNoopLikeQueue) {
    auto host = serve(env("ssh_records_call.sh"));
    ASSERT_NE(port_, 0);
    // The first due tick runs at start; without a host it is a no-op, logged when recorded.
    ASSERT_TRUE(wait_for_file_text(stderr_file_, "no ssh host")) << host->stderr_text();
    const std::string page = metrics_page(port_);
    const json::object queue = get_queue();
    EXPECT_EQ(metric_line(page, runs_series("none", "noop")),
              runs_series("none", "noop") + " " +
                  std::to_string(queue_counter(queue, "noop_ticks_total")))
        << page;
    EXPECT_EQ(queue_counter(queue, "noop_ticks_total"), 1U);
    EXPECT_NE(page.find("orch_host_plugins{state=\"running\"} 1"), std::string::npos) << page;
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(), 0);
}

TEST_F(HostPrunerTest, MetricsAfterAPruneShowTheRunQueueShows) {
    auto host = serve(env("ssh_records_call.sh", {{"ORCH_DEPLOY_SSH_HOST", "build-host.invalid"}}));
    ASSERT_NE(port_, 0);
    ASSERT_TRUE(wait_for_file_text(stderr_file_, "pruned build cache (")) << host->stderr_text();
    const std::string page = metrics_page(port_);
    const json::object queue = get_queue();
    ASSERT_EQ(queue_counter(queue, "successes_total"), 1U);
    EXPECT_EQ(metric_line(page, runs_series("build-host.invalid", "success")),
              runs_series("build-host.invalid", "success") + " 1")
        << page;
    EXPECT_EQ(metric_line(page, runs_series("build-host.invalid", "failure")),
              runs_series("build-host.invalid", "failure") + " 0")
        << page;
    EXPECT_EQ(
        metric_line(page, "build_cache_prune_reclaimed_bytes_total{host=\"build-host.invalid\"}"),
        "build_cache_prune_reclaimed_bytes_total{host=\"build-host.invalid\"} " +
            std::to_string(queue_counter(queue, "reclaimed_bytes_total")))
        << page;
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(), 0);
}

TEST_F(HostPrunerTest, MetricsAfterAFailedPruneCountTheFailureQueueShows) {
    auto environment = env("ssh_records_call.sh", {{"ORCH_DEPLOY_SSH_HOST", "build-host.invalid"}});
    write_script(bin_ / "ssh", "#!/bin/sh\necho 'connection refused' >&2\nexit 255\n");
    auto host = serve(environment);
    ASSERT_NE(port_, 0);
    ASSERT_TRUE(wait_for_file_text(stderr_file_, "prune failed: ")) << host->stderr_text();
    const std::string page = metrics_page(port_);
    const json::object queue = get_queue();
    ASSERT_EQ(queue_counter(queue, "failures_total"), 1U);
    EXPECT_EQ(metric_line(page, runs_series("build-host.invalid", "failure")),
              runs_series("build-host.invalid", "failure") + " 1")
        << page;
    EXPECT_EQ(metric_line(page, runs_series("build-host.invalid", "success")),
              runs_series("build-host.invalid", "success") + " 0")
        << page;
    EXPECT_EQ(page.find("connection refused"), std::string::npos) << page;
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(), 0);
}

}  // namespace
}  // namespace orch::test
