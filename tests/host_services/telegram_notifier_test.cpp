// TelegramNotifier against a real local HTTP server standing in for api.telegram.org.
#include "notify/telegram_notifier.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/fake_telegram_server.hpp"
#include "support/http_client.hpp"
#include "support/recording_services.hpp"

namespace orch::host {
namespace {

using namespace std::chrono_literals;
using plugin_api::LogLevel;
using test::RecordingLogger;
using testing::FakeTelegramServer;

constexpr const char* kToken = "987654:AAF-test_Token";
constexpr auto kWait = 10s;

TelegramConfig config_for(const std::string& api_url, const std::string& token = kToken,
                          const std::string& chat = "-1001234567890") {
    Environment env{{"ORCH_TELEGRAM_API_URL", api_url}};
    if (!token.empty()) {
        env["ORCH_TELEGRAM_BOT_TOKEN"] = token;
    }
    if (!chat.empty()) {
        env["ORCH_TELEGRAM_CHAT_ID"] = chat;
    }
    return telegram_config_from_env(env);
}

void expect_no_token(const RecordingLogger& log, const TelegramNotifier& notifier) {
    EXPECT_EQ(log.all_text().find(kToken), std::string::npos) << log.all_text();
    const std::string status = boost::json::serialize(notifier.status_json());
    EXPECT_EQ(status.find(kToken), std::string::npos) << status;
}

TEST(TelegramNotifier, PostsSendMessageWithJsonBody) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    ASSERT_TRUE(notifier.configured()) << log.all_text();

    const std::string text = "🧹 build cache pruned: 1.50 ГБ reclaimed";
    notifier.notify(text);
    ASSERT_TRUE(telegram.wait_for_requests(1, kWait)) << log.all_text();
    notifier.stop();

    const auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].uri, std::string("/bot") + kToken + "/sendMessage");
    EXPECT_EQ(requests[0].content_type, "application/json");
    const auto body = boost::json::parse(requests[0].body).as_object();
    EXPECT_EQ(body.at("chat_id").as_int64(), -1001234567890);
    EXPECT_EQ(body.at("text").as_string(), text);
    EXPECT_EQ(body.at("disable_web_page_preview").as_bool(), true);

    const NotifierCounters counters = notifier.counters();
    EXPECT_EQ(counters.sent, 1U);
    EXPECT_EQ(counters.failed, 0U);
    EXPECT_EQ(counters.dropped, 0U);
    expect_no_token(log, notifier);
}

TEST(TelegramNotifier, HonoursABasePathInTheApiUrl) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url() + "/proxy/tg/"), log);
    notifier.notify("x");
    notifier.stop();
    const auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 1U) << log.all_text();
    EXPECT_EQ(requests[0].uri, std::string("/proxy/tg/bot") + kToken + "/sendMessage");
}

TEST(TelegramNotifier, ServerErrorIsLoggedWithStatusAndWithoutToken) {
    FakeTelegramServer telegram;
    telegram.reply_with(500,
                        R"({"ok":false,"error_code":500,"description":"Internal Server Error"})");
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    notifier.notify("hello");
    ASSERT_TRUE(log.wait_for(LogLevel::kWarning, "HTTP 500", kWait)) << log.all_text();
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "/bot***/sendMessage")) << log.all_text();
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "Internal Server Error")) << log.all_text();
    notifier.stop();
    EXPECT_EQ(notifier.counters().failed, 1U);
    EXPECT_EQ(notifier.counters().sent, 0U);
    const auto status = notifier.status_json();
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("HTTP 500"), std::string::npos);
    expect_no_token(log, notifier);
}

TEST(TelegramNotifier, OkFalseIsAFailureWithTelegramsDescription) {
    FakeTelegramServer telegram;
    telegram.reply_with(
        400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    notifier.notify("hello");
    ASSERT_TRUE(log.wait_for(LogLevel::kWarning, "HTTP 400", kWait)) << log.all_text();
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "chat not found")) << log.all_text();
    notifier.stop();
    EXPECT_EQ(notifier.counters().failed, 1U);
    expect_no_token(log, notifier);
}

TEST(TelegramNotifier, AnErrorPageThatEchoesTheRequestPathDoesNotLeakTheToken) {
    FakeTelegramServer telegram;
    telegram.reply_with(404, std::string("Cannot POST /bot") + kToken + "/sendMessage");
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    notifier.notify("hello");
    ASSERT_TRUE(log.wait_for(LogLevel::kWarning, "HTTP 404", kWait)) << log.all_text();
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "Cannot POST /bot***/sendMessage"))
        << log.all_text();
    notifier.stop();
    expect_no_token(log, notifier);
}

TEST(TelegramNotifier, RefusedConnectionIsLoggedWithoutToken) {
    const std::uint16_t port = testing::closed_loopback_port();
    RecordingLogger log;
    TelegramNotifier notifier(config_for("http://127.0.0.1:" + std::to_string(port)), log);
    notifier.notify("hello");
    ASSERT_TRUE(log.wait_for(LogLevel::kWarning, "telegram delivery failed", kWait))
        << log.all_text();
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "refused")) << log.all_text();
    EXPECT_TRUE(log.contains(LogLevel::kWarning,
                             "http://127.0.0.1:" + std::to_string(port) + "/bot***/sendMessage"))
        << log.all_text();
    notifier.stop();
    EXPECT_EQ(notifier.counters().failed, 1U);
    expect_no_token(log, notifier);
}

TEST(TelegramNotifier, WithoutTokenLogsInsteadOfSending) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url(), ""), log);
    EXPECT_FALSE(notifier.configured());
    notifier.notify("reclaimed 2 GB");
    EXPECT_TRUE(
        log.contains(LogLevel::kInfo, "telegram not configured; would notify: reclaimed 2 GB"))
        << log.all_text();
    // The chat id without a token is a half configuration: worth a warning.
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "ORCH_TELEGRAM_BOT_TOKEN is not"))
        << log.all_text();
    notifier.stop();
    EXPECT_TRUE(telegram.requests().empty());
    const auto status = notifier.status_json();
    EXPECT_FALSE(status.at("configured").as_bool());
    EXPECT_EQ(status.at("sent").as_uint64(), 0U);
}

TEST(TelegramNotifier, WithoutChatIdLogsInsteadOfSendingAndHidesTheToken) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url(), kToken, ""), log);
    EXPECT_FALSE(notifier.configured());
    notifier.notify(std::string("text that quotes the token ") + kToken);
    EXPECT_TRUE(log.contains(LogLevel::kInfo, "would notify: text that quotes the token ***"))
        << log.all_text();
    notifier.stop();
    EXPECT_TRUE(telegram.requests().empty());
    expect_no_token(log, notifier);
}

TEST(TelegramNotifier, FullQueueDropsTheOldestAndCountsIt) {
    FakeTelegramServer telegram;
    telegram.hold_replies();
    RecordingLogger log;
    TelegramNotifierOptions options;
    options.queue_capacity = 2;
    TelegramNotifier notifier(config_for(telegram.base_url()), log, options);

    notifier.notify("m1");
    // m1 is in flight (the server holds its reply), so the queue is empty again.
    ASSERT_TRUE(telegram.wait_for_requests(1, kWait)) << log.all_text();
    notifier.notify("m2");
    notifier.notify("m3");
    EXPECT_EQ(notifier.counters().dropped, 0U);
    notifier.notify("m4");  // queue holds m2, m3: m2 goes
    EXPECT_EQ(notifier.counters().dropped, 1U);
    EXPECT_EQ(notifier.counters().queued, 2U);
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "queue full (2 messages); dropped the oldest: m2"))
        << log.all_text();

    telegram.release_replies();
    notifier.stop();
    const auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 3U);
    std::vector<std::string> texts;
    for (const auto& request : requests) {
        texts.emplace_back(boost::json::parse(request.body).at("text").as_string());
    }
    EXPECT_EQ(texts, (std::vector<std::string>{"m1", "m3", "m4"}));
    const NotifierCounters counters = notifier.counters();
    EXPECT_EQ(counters.sent, 3U);
    EXPECT_EQ(counters.dropped, 1U);
    const auto status = notifier.status_json();
    EXPECT_EQ(status.at("dropped").as_uint64(), 1U);
    EXPECT_EQ(status.at("queue_capacity").as_uint64(), 2U);
}

TEST(TelegramNotifier, StopDeliversEverythingQueuedInOrder) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    for (int i = 0; i < 5; ++i) {
        notifier.notify("message " + std::to_string(i));
    }
    notifier.stop();
    const auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 5U) << log.all_text();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        EXPECT_EQ(boost::json::parse(requests[i].body).at("text").as_string(),
                  "message " + std::to_string(i));
    }
    EXPECT_EQ(notifier.counters().sent, 5U);
    EXPECT_EQ(notifier.counters().queued, 0U);
}

TEST(TelegramNotifier, StopIsBoundedByTheDrainDeadlineWhenTheServerHangs) {
    FakeTelegramServer telegram;
    telegram.hold_replies();
    RecordingLogger log;
    TelegramNotifierOptions options;
    options.request_timeout = 60s;  // far longer than the test may take
    options.drain_deadline = 300ms;
    TelegramNotifier notifier(config_for(telegram.base_url()), log, options);
    notifier.notify("stuck");
    notifier.notify("never sent");
    ASSERT_TRUE(telegram.wait_for_requests(1, kWait));

    const auto started = std::chrono::steady_clock::now();
    notifier.stop();
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, 5s);
    EXPECT_GE(took, 250ms);  // it did wait for the in-flight request first

    const NotifierCounters counters = notifier.counters();
    EXPECT_EQ(counters.sent, 0U);
    EXPECT_EQ(counters.failed, 1U);   // the aborted request
    EXPECT_EQ(counters.dropped, 1U);  // the one never attempted
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "aborted at the shutdown deadline"))
        << log.all_text();
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "1 queued message(s) not sent")) << log.all_text();
    telegram.release_replies();
    EXPECT_EQ(telegram.requests().size(), 1U);
}

// host.notifier must say where every message is: queued, in flight, sent or failed, and why the
// last one failed. A message being delivered used to be counted nowhere.
TEST(TelegramNotifier, StatusAccountsForAMessageInFlightAndWaitIdleSeesItsOutcome) {
    FakeTelegramServer telegram;
    telegram.hold_replies();
    telegram.reply_with(400, R"({"ok":false,"description":"Bad Request: chat not found"})");
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    notifier.notify("first");
    ASSERT_TRUE(telegram.wait_for_requests(1, kWait));
    EXPECT_FALSE(notifier.wait_idle(0ms));
    auto status = notifier.status_json();
    EXPECT_EQ(status.at("in_flight"), 1) << boost::json::serialize(status);
    EXPECT_EQ(status.at("queued"), 0);
    EXPECT_EQ(status.at("sent"), 0);
    EXPECT_EQ(status.at("failed"), 0);

    telegram.release_replies();
    ASSERT_TRUE(notifier.wait_idle(kWait));
    status = notifier.status_json();
    EXPECT_EQ(status.at("in_flight"), 0) << boost::json::serialize(status);
    EXPECT_EQ(status.at("failed"), 1);
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("HTTP 400"), std::string::npos);
    EXPECT_NE(std::string(status.at("last_error").as_string()).find("chat not found"),
              std::string::npos);

    telegram.reply_with(200, R"({"ok":true,"result":{}})");
    notifier.notify("second");
    ASSERT_TRUE(notifier.wait_idle(kWait));
    const NotifierCounters counters = notifier.counters();
    EXPECT_EQ(counters.sent, 1U);
    EXPECT_EQ(counters.failed, 1U);
    EXPECT_EQ(counters.queued + counters.in_flight, 0U);
}

TEST(TelegramNotifier, WaitIdleIsImmediateWhenNotConfigured) {
    RecordingLogger log;
    TelegramNotifier notifier(config_for("http://127.0.0.1:1", ""), log);
    notifier.notify("only logged");
    EXPECT_TRUE(notifier.wait_idle(0ms));
}

TEST(TelegramNotifier, NotifyAfterStopIsDroppedAndLogged) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    notifier.stop();
    notifier.stop();  // idempotent
    notifier.notify("late");
    EXPECT_EQ(notifier.counters().dropped, 1U);
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "stopped; dropped: late")) << log.all_text();
    EXPECT_TRUE(telegram.requests().empty());
}

TEST(TelegramNotifier, InvalidUtf8IsRepairedBeforeSending) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    notifier.notify("bad \xff byte");
    notifier.stop();
    const auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 1U) << log.all_text();
    EXPECT_EQ(boost::json::parse(requests[0].body).at("text").as_string(), "bad \xEF\xBF\xBD byte");
}

TEST(TelegramNotifier, StatusShowsConfigurationWithoutSecrets) {
    FakeTelegramServer telegram;
    RecordingLogger log;
    TelegramNotifier notifier(config_for(telegram.base_url()), log);
    const auto status = notifier.status_json();
    EXPECT_TRUE(status.at("configured").as_bool());
    EXPECT_TRUE(status.at("accepting").as_bool());
    EXPECT_EQ(status.at("api_base").as_string(), telegram.base_url());
    EXPECT_EQ(status.at("chat_id").as_string(), "***7890");
    EXPECT_TRUE(status.at("problems").as_array().empty());
    EXPECT_TRUE(status.at("last_error").is_null());
    for (const char* key : {"queued", "sent", "failed", "dropped"}) {
        EXPECT_EQ(status.at(key).as_uint64(), 0U) << key;
    }
    notifier.stop();
    EXPECT_FALSE(notifier.status_json().at("accepting").as_bool());
    expect_no_token(log, notifier);
}

}  // namespace
}  // namespace orch::host
