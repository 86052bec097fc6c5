#include "notify/telegram_message.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace orch::host {
namespace {

std::size_t utf16_units(std::string_view utf8) {
    std::size_t units = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        if ((byte & 0xC0) != 0x80) {
            units += byte >= 0xF0 ? 2 : 1;
        }
    }
    return units;
}

TEST(TelegramText, KeepsValidUtf8) {
    EXPECT_EQ(telegram_text("🧹 reclaimed 1.5 ГБ\nok"), "🧹 reclaimed 1.5 ГБ\nok");
}

TEST(TelegramText, ReplacesInvalidUtf8) {
    EXPECT_EQ(telegram_text("a\xff"
                            "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(telegram_text("\xC3"), "\xEF\xBF\xBD");                  // truncated sequence
    EXPECT_EQ(telegram_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
    EXPECT_EQ(telegram_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST(TelegramText, LeavesATextOfExactlyTheLimitAlone) {
    const std::string text(kTelegramMaxTextUnits, 'x');
    EXPECT_EQ(telegram_text(text), text);
}

TEST(TelegramText, CutsAnOverlongTextAtACharacterBoundaryWithAnEllipsis) {
    std::string text = "x";
    for (int i = 0; i < 3000; ++i) {
        text += "🧹";  // two UTF-16 units each
    }
    const std::string cut = telegram_text(text);
    EXPECT_LE(utf16_units(cut), kTelegramMaxTextUnits);
    EXPECT_GE(utf16_units(cut), kTelegramMaxTextUnits - 1);
    EXPECT_EQ(cut.substr(cut.size() - 3), "\xE2\x80\xA6");
    EXPECT_EQ(cut.substr(0, 5), "x🧹");
    // Everything before the ellipsis is whole emoji.
    EXPECT_EQ((cut.size() - 1 - 3) % 4, 0U);
}

TEST(SendMessageBody, NumericChatIdIsANumber) {
    const auto body = boost::json::parse(send_message_body("-1001234567890", "hi ГБ")).as_object();
    EXPECT_EQ(body.at("chat_id").as_int64(), -1001234567890);
    EXPECT_EQ(body.at("text").as_string(), "hi ГБ");
    EXPECT_EQ(body.at("disable_web_page_preview").as_bool(), true);
}

TEST(SendMessageBody, ChannelNameIsAString) {
    const auto body = boost::json::parse(send_message_body("@ops", "x")).as_object();
    EXPECT_EQ(body.at("chat_id").as_string(), "@ops");
}

TEST(InterpretResponse, OkTrueWith2xxIsDelivered) {
    const SendOutcome outcome =
        interpret_send_message_response(200, "OK", R"({"ok":true,"result":{"message_id":5}})");
    EXPECT_TRUE(outcome.delivered);
    EXPECT_TRUE(outcome.description.empty());
}

TEST(InterpretResponse, TelegramErrorsCarryStatusAndDescription) {
    const SendOutcome outcome = interpret_send_message_response(
        400, "Bad Request",
        R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})");
    EXPECT_FALSE(outcome.delivered);
    EXPECT_EQ(outcome.description, "HTTP 400 Bad Request: Bad Request: chat not found");
}

TEST(InterpretResponse, OkFalseWith200IsNotDelivered) {
    const SendOutcome outcome = interpret_send_message_response(
        200, "OK", R"({"ok":false,"description":"Forbidden: bot was blocked"})");
    EXPECT_FALSE(outcome.delivered);
    EXPECT_EQ(outcome.description, "HTTP 200 OK: Forbidden: bot was blocked");
}

TEST(InterpretResponse, 2xxWithoutOkIsNotDelivered) {
    EXPECT_FALSE(interpret_send_message_response(200, "OK", "{}").delivered);
    EXPECT_FALSE(interpret_send_message_response(204, "No Content", "").delivered);
    EXPECT_EQ(interpret_send_message_response(200, "OK", R"({"result":1})").description,
              "HTTP 200 OK: Telegram answered without \"ok\": true");
}

TEST(InterpretResponse, NonJsonErrorBodiesAreQuotedShortly) {
    const std::string page = "<html>" + std::string(500, 'x') + "</html>";
    const SendOutcome outcome = interpret_send_message_response(502, "Bad Gateway", page);
    EXPECT_FALSE(outcome.delivered);
    EXPECT_EQ(
        outcome.description.rfind("HTTP 502 Bad Gateway: body is not Telegram JSON: <html>", 0), 0U)
        << outcome.description;
    EXPECT_LT(outcome.description.size(), 300U);
    EXPECT_EQ(interpret_send_message_response(500, "", "").description, "HTTP 500: empty body");
}

}  // namespace
}  // namespace orch::host
