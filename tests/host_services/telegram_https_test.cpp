// The notifier's HTTPS path against a local TLS server with a certificate made for the test.
#include <filesystem>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "notify/telegram_notifier.hpp"
#include "support/fake_telegram_server.hpp"
#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"

namespace orch::host {
namespace {

using namespace std::chrono_literals;
using plugin_api::LogLevel;
using test::RecordingLogger;
using testing::FakeTelegramServer;

constexpr const char* kToken = "555:TLS-token";

// A self-signed certificate for 127.0.0.1 made with the real openssl tool, in a fresh directory.
class SelfSignedCertificate {
  public:
    SelfSignedCertificate() {
        const std::vector<std::string> args{"req",
                                            "-x509",
                                            "-newkey",
                                            "ec",
                                            "-pkeyopt",
                                            "ec_paramgen_curve:prime256v1",
                                            "-nodes",
                                            "-days",
                                            "2",
                                            "-subj",
                                            "/CN=127.0.0.1",
                                            "-addext",
                                            "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                            "-keyout",
                                            key_file(),
                                            "-out",
                                            cert_file()};
        Poco::ProcessHandle openssl =
            Poco::Process::launch("openssl", args, dir_.path().string(), nullptr, nullptr, nullptr);
        exit_code_ = openssl.wait();
    }
    int exit_code() const { return exit_code_; }
    std::string key_file() const { return (dir_ / "key.pem").string(); }
    std::string cert_file() const { return (dir_ / "cert.pem").string(); }

    Poco::Net::Context::Ptr server_context() const {
        return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key_file(), cert_file(),
                                      "", Poco::Net::Context::VERIFY_NONE);
    }

  private:
    test::TempDir dir_;  // removed with the key and certificate when the test ends
    int exit_code_ = -1;
};

TelegramConfig https_config(const std::string& url, const std::string& ca_file) {
    Environment env{{"ORCH_TELEGRAM_API_URL", url},
                    {"ORCH_TELEGRAM_BOT_TOKEN", kToken},
                    {"ORCH_TELEGRAM_CHAT_ID", "@ops_channel"}};
    if (!ca_file.empty()) {
        env["ORCH_TELEGRAM_CA_FILE"] = ca_file;
    }
    return telegram_config_from_env(env);
}

TEST(TelegramNotifierHttps, DeliversOverTlsToATrustedServer) {
    const SelfSignedCertificate certificate;
    ASSERT_EQ(certificate.exit_code(), 0) << "openssl req failed";
    FakeTelegramServer telegram(certificate.server_context());
    ASSERT_EQ(telegram.base_url().rfind("https://", 0), 0U);
    RecordingLogger log;
    TelegramNotifier notifier(https_config(telegram.base_url(), certificate.cert_file()), log);
    ASSERT_TRUE(notifier.configured()) << log.all_text();
    notifier.notify("over TLS ✓");
    notifier.stop();

    const auto requests = telegram.requests();
    ASSERT_EQ(requests.size(), 1U) << log.all_text();
    EXPECT_EQ(requests[0].uri, std::string("/bot") + kToken + "/sendMessage");
    const auto body = boost::json::parse(requests[0].body).as_object();
    EXPECT_EQ(body.at("chat_id").as_string(), "@ops_channel");
    EXPECT_EQ(body.at("text").as_string(), "over TLS ✓");
    EXPECT_EQ(notifier.counters().sent, 1U) << log.all_text();
}

TEST(TelegramNotifierHttps, RefusesAServerItCannotVerify) {
    const SelfSignedCertificate certificate;
    ASSERT_EQ(certificate.exit_code(), 0) << "openssl req failed";
    FakeTelegramServer telegram(certificate.server_context());
    RecordingLogger log;
    // No CA file: the self-signed certificate is not trusted by the system CAs.
    TelegramNotifier notifier(https_config(telegram.base_url(), ""), log);
    notifier.notify("must not arrive");
    ASSERT_TRUE(log.wait_for(LogLevel::kWarning, "telegram delivery failed", 10s))
        << log.all_text();
    notifier.stop();
    EXPECT_TRUE(log.contains(LogLevel::kWarning, "certificate")) << log.all_text();
    EXPECT_TRUE(telegram.requests().empty());
    EXPECT_EQ(notifier.counters().failed, 1U);
    EXPECT_EQ(log.all_text().find(kToken), std::string::npos) << log.all_text();
}

TEST(TelegramNotifierHttps, AnUnreadableCaFileDisablesTelegramWithAClearError) {
    RecordingLogger log;
    TelegramNotifier notifier(https_config("https://127.0.0.1:1", "/nonexistent/ca.pem"), log);
    EXPECT_FALSE(notifier.configured());
    EXPECT_TRUE(log.contains(LogLevel::kError, "/nonexistent/ca.pem")) << log.all_text();
    notifier.notify("logged instead");
    EXPECT_TRUE(log.contains(LogLevel::kInfo, "would notify: logged instead")) << log.all_text();
    const auto status = notifier.status_json();
    ASSERT_EQ(status.at("problems").as_array().size(), 1U);
    EXPECT_EQ(log.all_text().find(kToken), std::string::npos) << log.all_text();
}

}  // namespace
}  // namespace orch::host
