// The host_stub binary as users and scripts run it: real HTTP on loopback, real signals, real
// plugin libraries, the listening line and the --once JSON on stdout, the log on stderr.
#include <gtest/gtest.h>

#include <csignal>
#include <sstream>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "host/support/host_fixture.hpp"
#include "support/fake_telegram_server.hpp"
#include "support/file_wait.hpp"
#include "support/http_client.hpp"

namespace orch::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> lines_starting(const std::vector<std::string>& lines,
                                        const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& l : lines) {
        if (l.rfind(prefix, 0) == 0) {
            out.push_back(l);
        }
    }
    return out;
}

const json::object* plugin_entry(const json::object& queue, const std::string& id) {
    for (const auto& p : queue.at("plugins").as_array()) {
        if (p.as_object().at("id") == id.c_str()) {
            return &p.as_object();
        }
    }
    return nullptr;
}

std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

long long ms_since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

class HostStubTest : public HostFixture {
  protected:
    std::string record_config() const {
        return R"({"record_file":")" + record_file_.string() + R"("})";
    }
    fs::path record_file_ = dir_ / "record.txt";
};

TEST_F(HostStubTest, ServesTheAggregatedQueueAndSurvivesEveryBadPlugin) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 30, record_config());
    add_plugin_manifest("recorder_b", "test_plugin_recorder_b", 10, record_config());
    // recorder_c's own kill-switch is off: loaded and started, reports {"enabled": false}.
    add_plugin_manifest("recorder_c", "test_plugin_recorder_c", 40,
                        R"({"enabled":false,"record_file":")" + record_file_.string() + R"("})");
    add_plugin_manifest("bad_status", "test_plugin_bad_status", 20);
    add_plugin_manifest("start_throws", "test_plugin_start_throws", 25);
    add_plugin_manifest("api_major", "test_plugin_api_major", 5);
    // Disabled in its manifest: never loaded (the slow plugin would start a thread).
    add_manifest(
        {.id = "slow", .library = add_plugin("test_plugin_slow"), .order = 1, .enabled = false});
    add_manifest({.id = "ghost", .library = "libghost.so", .order = 2});
    write_file(plugins_ / "x.so", "not a library\n");
    add_manifest({.id = "notelf", .library = "x.so", .order = 3});
    write_file(manifests_ / "broken.json", "{\"schema_version\": 1,");
    add_manifest(
        {.id = "recorder_a", .library = "libtest_plugin_recorder_a.so", .queue_key = "other_q"},
        "zz_duplicate.json");
    add_manifest({.id = "climber", .library = "../libtest_plugin_recorder_a.so"}, "climber.json");

    auto host = serve();
    ASSERT_NE(port_, 0);
    const json::object queue = get_queue();

    EXPECT_EQ(json::serialize(queue.at("queue")), R"({"pending":0,"running":0,"simulated":true})");
    std::vector<std::string> order;
    for (const auto& p : queue.at("plugins").as_array()) {
        order.push_back(text(p.at("id")));
    }
    EXPECT_EQ(order,
              (std::vector<std::string>{"slow", "ghost", "notelf", "api_major", "recorder_b",
                                        "bad_status", "start_throws", "recorder_a", "recorder_c"}));
    auto state = [&](const std::string& id) { return text(plugin_entry(queue, id)->at("state")); };
    auto error = [&](const std::string& id) { return text(plugin_entry(queue, id)->at("error")); };
    EXPECT_EQ(state("recorder_a"), "running");
    EXPECT_EQ(state("recorder_b"), "running");
    EXPECT_EQ(state("recorder_c"), "running");
    EXPECT_EQ(state("bad_status"), "running");
    EXPECT_EQ(state("slow"), "disabled");
    EXPECT_EQ(state("start_throws"), "failed");
    EXPECT_EQ(error("start_throws"),
              "start() threw: cannot start: the test plugin always fails here");
    EXPECT_EQ(state("ghost"), "failed");
    EXPECT_NE(error("ghost").find("libghost.so): library does not exist"), std::string::npos);
    EXPECT_NE(error("notelf").find("x.so): library is not an ELF shared object"),
              std::string::npos);
    EXPECT_NE(error("api_major").find("plugin API 2.1, host API 1.1 (major versions differ)"),
              std::string::npos);
    EXPECT_EQ(text(plugin_entry(queue, "recorder_a")->at("version")), "0.1.0");
    EXPECT_TRUE(plugin_entry(queue, "recorder_a")->at("error").is_null());

    EXPECT_EQ(json::serialize(queue.at("slow_q")), R"({"enabled":false})");
    EXPECT_EQ(json::serialize(queue.at("recorder_c_q")), R"({"enabled":false})");
    EXPECT_EQ(queue.at("recorder_a_q").at("enabled"), true);
    EXPECT_EQ(queue.at("recorder_a_q").at("id"), "recorder_a");
    EXPECT_NE(text(queue.at("bad_status_q").at("error")).find("returned invalid JSON"),
              std::string::npos);
    EXPECT_NE(text(queue.at("ghost_q").at("error")).find("does not exist"), std::string::npos);
    EXPECT_FALSE(queue.contains("other_q"));    // the duplicate was skipped
    EXPECT_FALSE(queue.contains("climber_q"));  // so was the path climbing out
    EXPECT_EQ(queue.at("host").at("notifier").at("configured"), false);

    const HttpResponse not_found = http_request(port_, "GET", "/nope");
    EXPECT_EQ(not_found.status, 404);
    const HttpResponse wrong_method = http_request(port_, "POST", "/queue");
    EXPECT_EQ(wrong_method.status, 405);
    EXPECT_EQ(http_request(port_, "GET", "/queue?x=1").status, 200);

    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(), 0);
    const auto recorded = lines_of(read_file(record_file_));
    EXPECT_EQ(lines_starting(recorded, "start "),
              (std::vector<std::string>{"start recorder_b", "start recorder_a"}));
    EXPECT_EQ(lines_starting(recorded, "stop "),
              (std::vector<std::string>{"stop recorder_c", "stop recorder_a", "stop recorder_b"}));
    EXPECT_EQ(lines_starting(recorded, "destroy ").size(), 3U);

    const std::string log = host->stderr_text();
    for (const char* expected :
         {"manifest broken.json: not valid JSON",
          "manifest zz_duplicate.json: id 'recorder_a' is "
          "already used by manifest recorder_a.json",
          "manifest climber.json: \"library\" '../libtest_plugin_recorder_a.so' has a '..' "
          "component",
          "plugin 'ghost' (manifest ghost.json, library ", "plugin 'slow' is disabled by manifest",
          "SIGTERM received: stopping"}) {
        EXPECT_NE(log.find(expected), std::string::npos) << expected << "\n" << log;
    }
}

TEST_F(HostStubTest, OncePrintsOnlyTheQueueJsonAfterOneTickOfEachEnabledPlugin) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 2, record_config());
    add_plugin_manifest("recorder_b", "test_plugin_recorder_b", 1, record_config());
    add_plugin_manifest("stdout_noise", "test_plugin_stdout_noise", 3);
    add_manifest({.id = "recorder_c",
                  .library = add_plugin("test_plugin_recorder_c"),
                  .enabled = false,
                  .config = record_config()});
    const std::string out = run_once();
    EXPECT_EQ(exit_code_, 0) << stderr_;
    const auto out_lines = lines_of(out);
    ASSERT_EQ(out_lines.size(), 1U) << out;  // one JSON document and nothing else
    const json::object queue = json::parse(out_lines[0]).as_object();
    EXPECT_EQ(queue.at("recorder_a_q").at("ticks"), 1);
    EXPECT_EQ(queue.at("recorder_b_q").at("ticks"), 1);
    EXPECT_EQ(json::serialize(queue.at("recorder_c_q")), R"({"enabled":false})");
    EXPECT_EQ(text(plugin_entry(queue, "recorder_a")->at("state")), "loaded");
    // The plugin's own stdout output went to the log.
    EXPECT_NE(stderr_.find("noise from the stdout_noise plugin"), std::string::npos);
    EXPECT_EQ(lines_of(read_file(record_file_)),
              (std::vector<std::string>{"create recorder_a", "create recorder_b", "tick recorder_b",
                                        "tick recorder_a", "stop recorder_a", "stop recorder_b",
                                        "destroy recorder_a", "destroy recorder_b"}));
}

TEST_F(HostStubTest, OnceExitsNonZeroWhenARequiredPluginCannotLoad) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, record_config());
    add_manifest({.id = "ghost", .library = "libghost.so", .required = true});
    const std::string out = run_once();
    EXPECT_EQ(exit_code_, 1);
    const json::object queue = json::parse(out).as_object();
    EXPECT_EQ(text(plugin_entry(queue, "ghost")->at("state")), "failed");
    EXPECT_EQ(queue.at("recorder_a_q").at("ticks"), 0);  // nothing ran
    EXPECT_NE(stderr_.find("required plugin 'ghost' failed: plugin 'ghost'"), std::string::npos)
        << stderr_;
}

TEST_F(HostStubTest, ARequiredPluginWhoseManifestIsBrokenIsFatal) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, record_config());
    write_file(manifests_ / "needed.json",
               R"({"schema_version": 1, "id": "needed", "required": true, "library": "/abs.so",
                   "api_version": "1.0", "enabled": true, "queue_key": "needed"})");
    run_once();
    EXPECT_EQ(exit_code_, 1);
    EXPECT_NE(stderr_.find("manifest needed.json: \"library\" '/abs.so' is an absolute path"),
              std::string::npos)
        << stderr_;
    EXPECT_NE(stderr_.find("[required plugin: fatal]"), std::string::npos);
}

TEST_F(HostStubTest, ServingGivesUpWhenARequiredPluginFailsToStart) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, record_config());
    add_plugin_manifest("start_throws", "test_plugin_start_throws", 2, "{}", /*required=*/true);
    add_plugin_manifest("recorder_b", "test_plugin_recorder_b", 3, record_config());
    auto host = start({"--listen", "127.0.0.1:0"});
    EXPECT_EQ(host->read_stdout_line(), std::nullopt);  // EOF: never served
    EXPECT_EQ(host->wait_exit(), 1);
    const auto recorded = lines_of(read_file(record_file_));
    EXPECT_EQ(lines_starting(recorded, "start "), std::vector<std::string>{"start recorder_a"});
    EXPECT_EQ(lines_starting(recorded, "stop "),
              (std::vector<std::string>{"stop recorder_b", "stop recorder_a"}));
    EXPECT_NE(host->stderr_text().find("it is required, so the host gives up"), std::string::npos);
}

// The slow plugin's work blocks until stop(), like a prune that takes an hour.
TEST_F(HostStubTest, QueueAnswersDuringLongWorkAndSigtermEndsItPromptly) {
    const fs::path marker = dir_ / "slow.marker";
    add_plugin_manifest("slow", "test_plugin_slow", 1,
                        R"({"marker_file":")" + marker.string() + R"("})");
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 2, record_config());
    auto host = serve();
    ASSERT_TRUE(wait_for_file_text(marker, "work started"));

    long long worst_ms = 0;
    for (int i = 0; i < 20; ++i) {
        const auto t0 = Clock::now();
        const json::object queue = get_queue();
        worst_ms = std::max(worst_ms, ms_since(t0));
        ASSERT_EQ(queue.at("slow_q").at("busy"), true);
    }
    // Generous for sanitizer builds on a shared machine; an answer that waited for the work
    // would never come at all.
    EXPECT_LT(worst_ms, 2000);
    RecordProperty("queue_worst_ms_during_work", std::to_string(worst_ms));

    const auto t0 = Clock::now();
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(10s), 0);
    const long long stop_ms = ms_since(t0);
    RecordProperty("sigterm_to_exit_ms", std::to_string(stop_ms));
    std::cout << "GET /queue worst of 20 during work: " << worst_ms
              << " ms; SIGTERM to exit: " << stop_ms << " ms\n";
    EXPECT_LT(stop_ms, 5000);
    EXPECT_NE(read_file(marker).find("work ended"), std::string::npos);
}

TEST_F(HostStubTest, SigtermInterruptsOnceAndStillPrintsTheQueue) {
    const fs::path marker = dir_ / "slow.marker";
    add_plugin_manifest("slow", "test_plugin_slow", 1,
                        R"({"marker_file":")" + marker.string() + R"("})");
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 2, record_config());
    auto host = start({"--once"});
    ASSERT_TRUE(wait_for_file_text(marker, "work started"));
    host->send_signal(SIGTERM);
    const auto out = host->read_stdout_to_eof();
    // Nothing finished: 128 + SIGTERM, as a shell reports it, never 0.
    EXPECT_EQ(host->wait_exit(10s), 143);
    ASSERT_TRUE(out);
    const json::object queue = json::parse(*out).as_object();
    EXPECT_EQ(queue.at("slow_q").at("works_started"), 1);
    EXPECT_EQ(queue.at("recorder_a_q").at("ticks"), 0);  // cancelled before its turn
    EXPECT_NE(host->stderr_text().find("SIGTERM received during --once"), std::string::npos);
}

TEST_F(HostStubTest, SigintInterruptsOnceWith130) {
    const fs::path marker = dir_ / "slow.marker";
    add_plugin_manifest("slow", "test_plugin_slow", 1,
                        R"({"marker_file":")" + marker.string() + R"("})");
    auto host = start({"--once"});
    ASSERT_TRUE(wait_for_file_text(marker, "work started"));
    host->send_signal(SIGINT);
    const auto out = host->read_stdout_to_eof();
    EXPECT_EQ(host->wait_exit(10s), 130);
    ASSERT_TRUE(out);
    EXPECT_EQ(json::parse(*out).at("slow_q").at("busy"), false);
    EXPECT_NE(read_file(marker).find("work ended"), std::string::npos);
}

TEST_F(HostStubTest, SigintStopsLikeSigterm) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, record_config());
    auto host = serve();
    host->send_signal(SIGINT);
    EXPECT_EQ(host->wait_exit(), 0);
    EXPECT_EQ(lines_starting(lines_of(read_file(record_file_)), "stop "),
              std::vector<std::string>{"stop recorder_a"});
}

TEST_F(HostStubTest, ABusyPortIsReportedBeforeAnyPluginStarts) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, record_config());
    Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
    const std::string address = "127.0.0.1:" + std::to_string(taken.address().port());
    auto host = start({"--listen", address});
    EXPECT_EQ(host->wait_exit(), 1);
    EXPECT_TRUE(lines_starting(lines_of(read_file(record_file_)), "start ").empty());
    EXPECT_NE(host->stderr_text().find("cannot listen on " + address), std::string::npos)
        << host->stderr_text();
}

TEST_F(HostStubTest, AMissingManifestDirectoryIsFatal) {
    fs::remove(manifests_);
    run_once();
    EXPECT_EQ(exit_code_, 1);
    EXPECT_NE(stderr_.find("manifest directory " + manifests_.string() + " does not exist"),
              std::string::npos)
        << stderr_;
}

TEST_F(HostStubTest, AnEmptyManifestDirectoryServesAnEmptyQueue) {
    const std::string out = run_once();
    EXPECT_EQ(exit_code_, 0);
    EXPECT_EQ(json::parse(out).at("plugins").as_array().size(), 0U);
    EXPECT_NE(stderr_.find("no manifests (*.json) in"), std::string::npos);
}

TEST(HostStubCli, HelpGoesToStdoutAndMistakesExitWithTwo) {
    TempDir dir;
    {
        HostProcess help(host_stub_path(), {"--help"}, dir / "err");
        const auto out = help.read_stdout_to_eof();
        EXPECT_EQ(help.wait_exit(), 0);
        ASSERT_TRUE(out);
        EXPECT_EQ(out->rfind("usage: host_stub [--manifests DIR]", 0), 0U) << *out;
    }
    {
        HostProcess bogus(host_stub_path(), {"--bogus"}, dir / "err");
        EXPECT_EQ(bogus.wait_exit(), 2);
        EXPECT_EQ(bogus.stderr_text().rfind("host_stub: unknown option '--bogus'\nusage:", 0), 0U);
    }
    {
        HostProcess listen(host_stub_path(),
                           {"--manifests", dir.path().string(), "--plugins", dir.path().string(),
                            "--listen", "no-port-here"},
                           dir / "err");
        EXPECT_EQ(listen.wait_exit(), 2);
        EXPECT_NE(listen.stderr_text().find("--listen: "), std::string::npos);
    }
}

// Without --manifests/--plugins the host looks next to itself: <prefix>/bin/host_stub reads
// <prefix>/<manifest dir> and <prefix>/<plugin dir>, wherever the prefix is.
TEST_F(HostStubTest, FindsManifestsAndPluginsRelativeToItsExecutable) {
    const fs::path prefix = dir_ / "prefix";
    fs::create_directories(prefix / "bin");
    fs::create_directories(prefix / ORCH_TEST_MANIFEST_INSTALL_DIR);
    fs::create_directories(prefix / ORCH_TEST_PLUGIN_INSTALL_DIR);
    fs::copy_file(host_stub_path(), prefix / "bin" / "host_stub");
    fs::copy_file(test_plugin_dir() / "libtest_plugin_recorder_a.so",
                  prefix / ORCH_TEST_PLUGIN_INSTALL_DIR / "libtest_plugin_recorder_a.so");
    write_file(prefix / ORCH_TEST_MANIFEST_INSTALL_DIR / "recorder_a.json",
               ManifestSpec{.id = "recorder_a",
                            .library = "libtest_plugin_recorder_a.so",
                            .config = record_config()}
                   .to_json());
    HostProcess host(prefix / "bin" / "host_stub", {"--once"}, stderr_file_);
    const auto out = host.read_stdout_to_eof();
    EXPECT_EQ(host.wait_exit(), 0) << host.stderr_text();
    ASSERT_TRUE(out);
    EXPECT_EQ(json::parse(*out).at("recorder_a_q").at("ticks"), 1) << *out;
}

// systemd, cron and supervisors start daemons with some of descriptors 0-2 closed. With stdout
// closed the signalfd used to become descriptor 1, was moved away by the stdout reservation, and
// the host spun at full CPU ignoring SIGTERM, so its plugins were never stopped.
TEST_F(HostStubTest, RunsAndStopsWithAStandardDescriptorClosed) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, record_config());
    for (const int closed : {1, 0, 2}) {
        SCOPED_TRACE("descriptor " + std::to_string(closed) + " closed");
        fs::remove(record_file_);
        fs::remove(stderr_file_);
        auto host = start({"--listen", "127.0.0.1:0"}, {}, {closed});
        std::optional<std::uint16_t> port;
        if (closed == 1) {
            // No stdout to read the listening line from: the log says where it serves.
            constexpr std::string_view kServing = "serving GET http://127.0.0.1:";
            ASSERT_TRUE(wait_for_file_text(stderr_file_, "/queue\n")) << host->stderr_text();
            const std::string log = host->stderr_text();
            const auto at = log.find(kServing);
            ASSERT_NE(at, std::string::npos) << log;
            port = static_cast<std::uint16_t>(std::stoi(log.substr(at + kServing.size())));
        } else {
            const auto line = host->read_stdout_line();
            port = line ? listening_port(*line) : std::nullopt;
        }
        ASSERT_TRUE(port);
        EXPECT_EQ(http_request(*port, "GET", "/queue").status, 200);
        host->send_signal(SIGTERM);
        EXPECT_EQ(host->wait_exit(10s), 0);
        EXPECT_NE(read_file(record_file_).find("stop recorder_a"), std::string::npos);
    }
}

// Clients that connect and send nothing or half a request must neither keep others from /queue
// nor delay a stop: the plugins stop at once on SIGTERM, whatever the HTTP side is doing.
TEST_F(HostStubTest, IdleClientsNeitherStarveQueueNorDelayTheStop) {
    const fs::path marker = dir_ / "slow.marker";
    add_plugin_manifest("slow", "test_plugin_slow", 1,
                        R"({"marker_file":")" + marker.string() + R"("})");
    auto host = serve();
    ASSERT_NE(port_, 0);
    ASSERT_TRUE(wait_for_file_text(marker, "work started"));
    std::vector<Poco::Net::StreamSocket> idle;
    for (int i = 0; i < 32; ++i) {
        idle.push_back(orch::host::testing::open_connection(
            port_, i % 2 == 0 ? "" : "GET /queue HTTP/1.1\r\nHost: x\r\n"));
    }
    // Answered while all 32 are connected (before, eight of them held every worker for 60 s).
    EXPECT_EQ(get_queue().at("slow_q").at("busy"), true);

    host->send_signal(SIGTERM);
    // Far below Poco's 60 s per-read default that used to hold the stop.
    EXPECT_EQ(host->wait_exit(10s), 0) << host->stderr_text();
    EXPECT_NE(read_file(marker).find("work ended"), std::string::npos);
}

// A remote stderr in Latin-1 reaches a plugin's status and log: /queue and the log must still be
// valid UTF-8 (Boost.JSON's parser refuses anything else), with U+FFFD for the bad byte.
TEST_F(HostStubTest, ALatin1PluginStatusStillGivesValidUtf8) {
    add_plugin_manifest("latin1_status", "test_plugin_latin1_status", 1);
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 2, record_config());
    const std::string out = run_once();
    EXPECT_EQ(exit_code_, 0) << stderr_;
    const json::object queue = json::parse(out).as_object();
    EXPECT_EQ(queue.at("latin1_status_q").at("last_error"),
              "rc=1: Ger\xEF\xBF\xBDt nicht gefunden");
    EXPECT_EQ(queue.at("recorder_a_q").at("ticks"), 1);
    EXPECT_NE(stderr_.find("prune failed: rc=1: Ger\xEF\xBF\xBDt nicht gefunden"),
              std::string::npos)
        << stderr_;
    EXPECT_EQ(stderr_.find("Ger\xE4t"), std::string::npos);

    auto host = serve();
    const HttpResponse r = http_request(port_, "GET", "/queue");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body).at("latin1_status_q").at("last_error"),
              "rc=1: Ger\xEF\xBF\xBDt nicht gefunden");
}

class HostStubNotifierTest : public HostStubTest {
  protected:
    std::map<std::string, std::string> telegram_env() {
        return {{"ORCH_TELEGRAM_BOT_TOKEN", "123456:test-token"},
                {"ORCH_TELEGRAM_CHAT_ID", "42"},
                {"ORCH_TELEGRAM_API_URL", telegram_.base_url()}};
    }
    std::string notify_config() const {
        return R"({"notify":"pruned 2 GB","record_file":")" + record_file_.string() + R"("})";
    }
    orch::host::testing::FakeTelegramServer telegram_;
};

// --once printed the notifier's figures before its queue drained (sent 0, failed 0) and exited 0
// even when the delivery then failed. It waits for the outcome and reports it.
TEST_F(HostStubNotifierTest, OnceWaitsForItsNotificationAndShowsItDelivered) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, notify_config());
    const std::string out = run_once(telegram_env());
    EXPECT_EQ(exit_code_, 0) << stderr_;
    const json::object notifier = json::parse(out).at("host").at("notifier").as_object();
    EXPECT_EQ(notifier.at("sent"), 1) << json::serialize(notifier);
    EXPECT_EQ(notifier.at("failed"), 0);
    EXPECT_EQ(notifier.at("queued"), 0);
    EXPECT_EQ(notifier.at("in_flight"), 0);
    EXPECT_TRUE(notifier.at("last_error").is_null());
    ASSERT_EQ(telegram_.requests().size(), 1U);
    EXPECT_NE(telegram_.requests()[0].body.find("pruned 2 GB"), std::string::npos);
}

TEST_F(HostStubNotifierTest, OnceExitsWithThreeWhenItsNotificationFails) {
    telegram_.reply_with(500, R"({"ok":false,"description":"Internal Server Error"})");
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a", 1, notify_config());
    const std::string out = run_once(telegram_env());
    EXPECT_EQ(exit_code_, 3) << stderr_;
    const json::object notifier = json::parse(out).at("host").at("notifier").as_object();
    EXPECT_EQ(notifier.at("sent"), 0) << json::serialize(notifier);
    EXPECT_EQ(notifier.at("failed"), 1);
    EXPECT_NE(std::string(notifier.at("last_error").as_string()).find("HTTP 500"),
              std::string::npos)
        << json::serialize(notifier);
    EXPECT_NE(stderr_.find("1 notification(s) failed"), std::string::npos) << stderr_;
}

}  // namespace
}  // namespace orch::test
