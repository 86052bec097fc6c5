#pragma once
// The sendMessage request body and the reading of Telegram's answer. Pure functions.
#include <cstddef>
#include <string>
#include <string_view>

namespace orch::host {

// Telegram rejects texts longer than 4096 UTF-16 code units.
inline constexpr std::size_t kTelegramMaxTextUnits = 4096;

// Makes `text` acceptable to sendMessage: invalid UTF-8 becomes U+FFFD (a JSON encoder would
// otherwise emit bytes Telegram refuses) and an over-long text is cut at a character boundary
// and ends with "…".
std::string telegram_text(std::string_view text);

// {"chat_id": <int or "@name">, "text": ..., "disable_web_page_preview": true}
std::string send_message_body(std::string_view chat_id, std::string_view text);

struct SendOutcome {
    bool delivered = false;
    std::string description;  // why not, when not delivered
};

// 2xx with {"ok": true} is delivered; anything else is explained with the HTTP status and
// Telegram's "description" (or the start of the body when it is not Telegram JSON).
SendOutcome interpret_send_message_response(int http_status, std::string_view reason,
                                            std::string_view body);

}  // namespace orch::host
