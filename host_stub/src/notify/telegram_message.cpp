#include "notify/telegram_message.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <system_error>

#include <boost/json.hpp>

#include "text/utf8_text.hpp"

namespace orch::host {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one UTF-16 unit
constexpr std::size_t kBodySnippetBytes = 200;

std::optional<std::int64_t> as_integer(std::string_view text) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::string body_snippet(std::string_view body) {
    std::string snippet = telegram_text(body.substr(0, kBodySnippetBytes));
    if (body.size() > kBodySnippetBytes) {
        snippet += kEllipsis;
    }
    return snippet;
}

}  // namespace

std::string telegram_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t units = 0;
    std::size_t cut_at = std::string::npos;  // where the text ends if it has to be shortened
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t length = utf8_sequence_length(text.substr(pos));
        const std::size_t piece_units = length == 4 ? 2 : 1;
        if (units + piece_units > kTelegramMaxTextUnits - 1 && cut_at == std::string::npos) {
            cut_at = out.size();
        }
        if (units + piece_units > kTelegramMaxTextUnits) {
            out.resize(cut_at);
            out += kEllipsis;
            return out;
        }
        out += length == 0 ? kReplacementCharacter : text.substr(pos, length);
        units += piece_units;
        pos += length == 0 ? 1 : length;
    }
    return out;
}

std::string send_message_body(std::string_view chat_id, std::string_view text) {
    boost::json::object body;
    if (const auto numeric = as_integer(chat_id)) {
        body["chat_id"] = *numeric;
    } else {
        body["chat_id"] = chat_id;
    }
    body["text"] = text;
    body["disable_web_page_preview"] = true;
    return boost::json::serialize(body);
}

SendOutcome interpret_send_message_response(int http_status, std::string_view reason,
                                            std::string_view body) {
    boost::system::error_code ec;
    const boost::json::value parsed = boost::json::parse(body, ec);
    const boost::json::object* reply = ec ? nullptr : parsed.if_object();
    const bool ok_true = reply != nullptr && reply->contains("ok") && reply->at("ok").is_bool() &&
                         reply->at("ok").as_bool();
    const bool success_status = http_status >= 200 && http_status < 300;
    if (success_status && ok_true) {
        return {true, {}};
    }

    std::string description = "HTTP " + std::to_string(http_status);
    if (!reason.empty()) {
        description += ' ';
        description += reason;
    }
    const boost::json::value* telegram_description =
        reply != nullptr ? reply->if_contains("description") : nullptr;
    if (telegram_description != nullptr && telegram_description->is_string()) {
        description += ": ";
        description += telegram_description->as_string();
    } else if (reply != nullptr && success_status) {
        description += ": Telegram answered without \"ok\": true";
    } else if (reply == nullptr) {
        description +=
            body.empty() ? ": empty body" : ": body is not Telegram JSON: " + body_snippet(body);
    }
    return {false, description};
}

}  // namespace orch::host
