#include "notify/telegram_config.hpp"

#include <gtest/gtest.h>

namespace orch::host {
namespace {

constexpr const char* kToken = "123456:AAH-secret_token";

std::string joined(const std::vector<std::string>& problems) {
    std::string text;
    for (const auto& problem : problems) {
        text += problem + "\n";
    }
    return text;
}

TEST(TelegramConfigFromEnv, EmptyEnvironmentIsNotConfiguredAndNotAProblem) {
    const TelegramConfig config = telegram_config_from_env({});
    EXPECT_FALSE(config.configured());
    EXPECT_TRUE(config.problems.empty()) << joined(config.problems);
    EXPECT_TRUE(config.endpoint.https);
    EXPECT_EQ(config.endpoint.host, "api.telegram.org");
    EXPECT_EQ(config.endpoint.port, 443);
    EXPECT_EQ(config.endpoint.base_path, "");
}

TEST(TelegramConfigFromEnv, TokenAndChatMakeItConfiguredAndAreTrimmed) {
    const TelegramConfig config =
        telegram_config_from_env({{"ORCH_TELEGRAM_BOT_TOKEN", std::string(" ") + kToken + "\n"},
                                  {"ORCH_TELEGRAM_CHAT_ID", "-1001234567890\r\n"}});
    EXPECT_TRUE(config.configured()) << joined(config.problems);
    EXPECT_EQ(config.bot_token, kToken);
    EXPECT_EQ(config.chat_id, "-1001234567890");
}

TEST(TelegramConfigFromEnv, ApiUrlOverrideWithPortAndPath) {
    const TelegramConfig config =
        telegram_config_from_env({{"ORCH_TELEGRAM_API_URL", "http://127.0.0.1:8081/tg/"}});
    EXPECT_TRUE(config.problems.empty()) << joined(config.problems);
    EXPECT_FALSE(config.endpoint.https);
    EXPECT_EQ(config.endpoint.host, "127.0.0.1");
    EXPECT_EQ(config.endpoint.port, 8081);
    EXPECT_EQ(config.endpoint.base_path, "/tg");
    EXPECT_EQ(api_base_display(config.endpoint), "http://127.0.0.1:8081/tg");
}

TEST(TelegramConfigFromEnv, Ipv6ApiUrl) {
    const TelegramConfig config =
        telegram_config_from_env({{"ORCH_TELEGRAM_API_URL", "https://[::1]:8443"}});
    EXPECT_TRUE(config.problems.empty()) << joined(config.problems);
    EXPECT_EQ(config.endpoint.host, "::1");
    EXPECT_EQ(api_base_display(config.endpoint), "https://[::1]:8443");
}

TEST(TelegramConfigFromEnv, BadApiUrlsAreProblemsNamingTheValue) {
    for (const char* url :
         {"ftp://api.telegram.org", "api.telegram.org", "https://",
          "https://user:pw@api.telegram.org", "https://h/?x=1", "http://h:99999"}) {
        const TelegramConfig config = telegram_config_from_env({{"ORCH_TELEGRAM_BOT_TOKEN", kToken},
                                                                {"ORCH_TELEGRAM_CHAT_ID", "42"},
                                                                {"ORCH_TELEGRAM_API_URL", url}});
        EXPECT_FALSE(config.configured()) << url;
        ASSERT_EQ(config.problems.size(), 1U) << url << "\n" << joined(config.problems);
        EXPECT_NE(config.problems[0].find(std::string("ORCH_TELEGRAM_API_URL='") + url + "'"),
                  std::string::npos)
            << config.problems[0];
        EXPECT_NE(config.problems[0].find("expected http(s)://host"), std::string::npos);
    }
}

TEST(TelegramConfigFromEnv, MalformedTokenIsAProblemThatDoesNotRepeatTheToken) {
    const std::string bad_token = "123:abc/../def";
    const TelegramConfig config = telegram_config_from_env(
        {{"ORCH_TELEGRAM_BOT_TOKEN", bad_token}, {"ORCH_TELEGRAM_CHAT_ID", "42"}});
    EXPECT_FALSE(config.configured());
    const std::string text = joined(config.problems);
    EXPECT_NE(text.find("ORCH_TELEGRAM_BOT_TOKEN"), std::string::npos) << text;
    EXPECT_EQ(text.find("abc"), std::string::npos) << text;
}

TEST(TelegramConfigFromEnv, ChatIdMustBeAnIntegerOrAChannelName) {
    EXPECT_TRUE(telegram_config_from_env(
                    {{"ORCH_TELEGRAM_BOT_TOKEN", kToken}, {"ORCH_TELEGRAM_CHAT_ID", "@my_channel"}})
                    .configured());
    const TelegramConfig config = telegram_config_from_env(
        {{"ORCH_TELEGRAM_BOT_TOKEN", kToken}, {"ORCH_TELEGRAM_CHAT_ID", "12 34"}});
    EXPECT_FALSE(config.configured());
    EXPECT_NE(joined(config.problems).find("ORCH_TELEGRAM_CHAT_ID='12 34'"), std::string::npos)
        << joined(config.problems);
}

TEST(TelegramConfigFromEnv, HalfAConfigurationIsAProblem) {
    const TelegramConfig token_only =
        telegram_config_from_env({{"ORCH_TELEGRAM_BOT_TOKEN", kToken}});
    EXPECT_FALSE(token_only.configured());
    EXPECT_NE(joined(token_only.problems).find("ORCH_TELEGRAM_CHAT_ID is not"), std::string::npos);
    EXPECT_EQ(joined(token_only.problems).find(kToken), std::string::npos);

    const TelegramConfig chat_only = telegram_config_from_env({{"ORCH_TELEGRAM_CHAT_ID", "42"}});
    EXPECT_FALSE(chat_only.configured());
    EXPECT_NE(joined(chat_only.problems).find("ORCH_TELEGRAM_BOT_TOKEN is not"), std::string::npos);
}

TEST(TelegramConfigFromEnv, ReadsTheCaFile) {
    EXPECT_EQ(telegram_config_from_env({{"ORCH_TELEGRAM_CA_FILE", "/etc/x.pem"}}).ca_file,
              "/etc/x.pem");
}

TEST(SendMessagePath, CarriesTheTokenUnderTheBasePath) {
    TelegramConfig config =
        telegram_config_from_env({{"ORCH_TELEGRAM_BOT_TOKEN", kToken},
                                  {"ORCH_TELEGRAM_CHAT_ID", "42"},
                                  {"ORCH_TELEGRAM_API_URL", "http://localhost:1/base"}});
    EXPECT_EQ(send_message_path(config), std::string("/base/bot") + kToken + "/sendMessage");
}

TEST(MaskedSendMessageUrl, HidesTheToken) {
    const TelegramConfig config = telegram_config_from_env({{"ORCH_TELEGRAM_BOT_TOKEN", kToken}});
    EXPECT_EQ(masked_send_message_url(config.endpoint),
              "https://api.telegram.org/bot***/sendMessage");
}

TEST(MaskChatId, ShowsOnlyTheLastFourCharacters) {
    EXPECT_EQ(mask_chat_id("-1001234567890"), "***7890");
    EXPECT_EQ(mask_chat_id("1234"), "***");
    EXPECT_EQ(mask_chat_id(""), "***");
}

TEST(RedactSecret, ReplacesEveryOccurrence) {
    EXPECT_EQ(redact_secret("a SEC b SECSEC", "SEC"), "a *** b ******");
    EXPECT_EQ(redact_secret("nothing here", "SEC"), "nothing here");
    EXPECT_EQ(redact_secret("empty secret", ""), "empty secret");
}

}  // namespace
}  // namespace orch::host
