#pragma once
// Telegram Bot API settings from the environment, plus the helpers that keep the bot token out
// of every log line, error and status document.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/environment.hpp"

namespace orch::host {

inline constexpr std::string_view kTelegramTokenEnvVar = "ORCH_TELEGRAM_BOT_TOKEN";
inline constexpr std::string_view kTelegramChatEnvVar = "ORCH_TELEGRAM_CHAT_ID";
inline constexpr std::string_view kTelegramApiUrlEnvVar = "ORCH_TELEGRAM_API_URL";
// Extra trust anchors (PEM file or directory) on top of the system CAs, for a self-hosted Bot
// API server or a TLS-intercepting proxy.
inline constexpr std::string_view kTelegramCaFileEnvVar = "ORCH_TELEGRAM_CA_FILE";
inline constexpr std::string_view kDefaultTelegramApiUrl = "https://api.telegram.org";

struct TelegramEndpoint {
    bool https = true;
    std::string host;  // without brackets for IPv6
    std::uint16_t port = 443;
    std::string base_path;  // "" or "/prefix" (no trailing slash)
};

struct TelegramConfig {
    std::string bot_token;  // secret: never log, never put in status
    std::string chat_id;
    std::string ca_file;
    TelegramEndpoint endpoint;
    // What is wrong with the settings, one message per problem; never contains the token.
    std::vector<std::string> problems;

    // True when messages can be sent: token and chat id present and no problems.
    bool configured() const noexcept {
        return !bot_token.empty() && !chat_id.empty() && problems.empty();
    }
};

// Reads ORCH_TELEGRAM_BOT_TOKEN, ORCH_TELEGRAM_CHAT_ID, ORCH_TELEGRAM_API_URL (default
// https://api.telegram.org) and ORCH_TELEGRAM_CA_FILE. Surrounding whitespace is trimmed.
TelegramConfig telegram_config_from_env(const Environment& env);

// "https://api.telegram.org", "http://127.0.0.1:8081/tg": what status documents may show.
std::string api_base_display(const TelegramEndpoint& endpoint);

// The request path, "<base_path>/bot<token>/sendMessage". Contains the secret.
std::string send_message_path(const TelegramConfig& config);

// "<api base>/bot***/sendMessage", for log lines.
std::string masked_send_message_url(const TelegramEndpoint& endpoint);

// "***6789": enough to tell chats apart in a status page without publishing the id.
std::string mask_chat_id(std::string_view chat_id);

// Replaces every occurrence of `secret` in `text` with "***" (no-op for an empty secret).
std::string redact_secret(std::string_view text, std::string_view secret);

}  // namespace orch::host
