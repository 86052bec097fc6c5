#include "notify/telegram_config.hpp"

#include <algorithm>
#include <cctype>

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace orch::host {

namespace {

std::string trimmed_env(const Environment& env, std::string_view name) {
    const auto it = env.find(std::string(name));
    if (it == env.end()) {
        return {};
    }
    const std::string& value = it->second;
    const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    const auto first = std::find_if_not(value.begin(), value.end(), is_space);
    const auto last = std::find_if_not(value.rbegin(), value.rend(), is_space).base();
    return first < last ? std::string(first, last) : std::string();
}

// Bot API tokens look like "123456:AA-bb_cc"; anything else would change the URL path.
bool is_token_text(std::string_view token) {
    return std::all_of(token.begin(), token.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '_' || c == '-';
    });
}

// A numeric chat id ("-1001234") or a public channel username ("@name").
bool is_chat_id_text(std::string_view chat) {
    if (chat.size() > 1 && chat.front() == '@') {
        return std::all_of(chat.begin() + 1, chat.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
        });
    }
    const std::string_view digits = (!chat.empty() && chat.front() == '-') ? chat.substr(1) : chat;
    return !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

std::string endpoint_problem(const std::string& url, std::string_view detail) {
    return std::string(kTelegramApiUrlEnvVar) + "='" + url + "' " + std::string(detail) +
           "; expected http(s)://host[:port][/path]";
}

TelegramEndpoint parse_endpoint(const std::string& url, std::vector<std::string>& problems) {
    TelegramEndpoint endpoint;
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        problems.push_back(endpoint_problem(url, "is not a URL (" + e.displayText() + ")"));
        return endpoint;
    }
    if (uri.getScheme() != "http" && uri.getScheme() != "https") {
        problems.push_back(endpoint_problem(url, "has an unsupported scheme"));
        return endpoint;
    }
    if (uri.getHost().empty()) {
        problems.push_back(endpoint_problem(url, "has no host"));
        return endpoint;
    }
    // Credentials, queries and fragments would end up in log lines or be silently dropped.
    if (!uri.getUserInfo().empty() || !uri.getRawQuery().empty() || !uri.getFragment().empty()) {
        problems.push_back(endpoint_problem(url, "has user info, a query or a fragment"));
        return endpoint;
    }
    endpoint.https = uri.getScheme() == "https";
    endpoint.host = uri.getHost();
    endpoint.port = uri.getPort();
    endpoint.base_path = uri.getPath();
    while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
        endpoint.base_path.pop_back();
    }
    return endpoint;
}

}  // namespace

TelegramConfig telegram_config_from_env(const Environment& env) {
    TelegramConfig config;
    config.bot_token = trimmed_env(env, kTelegramTokenEnvVar);
    config.chat_id = trimmed_env(env, kTelegramChatEnvVar);
    config.ca_file = trimmed_env(env, kTelegramCaFileEnvVar);
    std::string url = trimmed_env(env, kTelegramApiUrlEnvVar);
    if (url.empty()) {
        url = kDefaultTelegramApiUrl;
    }
    config.endpoint = parse_endpoint(url, config.problems);

    if (!config.bot_token.empty() && !is_token_text(config.bot_token)) {
        // The value is not repeated: even a malformed token is a secret.
        config.problems.push_back(std::string(kTelegramTokenEnvVar) +
                                  " contains characters other than letters, digits, ':', '_' and "
                                  "'-' (value not shown)");
    }
    if (!config.chat_id.empty() && !is_chat_id_text(config.chat_id)) {
        config.problems.push_back(std::string(kTelegramChatEnvVar) + "='" + config.chat_id +
                                  "' is not a chat id; expected an integer such as "
                                  "-1001234567890 or a channel name such as @my_channel");
    }
    if (config.bot_token.empty() != config.chat_id.empty()) {
        const std::string_view set =
            config.bot_token.empty() ? kTelegramChatEnvVar : kTelegramTokenEnvVar;
        const std::string_view unset =
            config.bot_token.empty() ? kTelegramTokenEnvVar : kTelegramChatEnvVar;
        config.problems.push_back(std::string(set) + " is set but " + std::string(unset) +
                                  " is not; both are needed to send notifications");
    }
    return config;
}

std::string api_base_display(const TelegramEndpoint& endpoint) {
    std::string text = endpoint.https ? "https://" : "http://";
    const bool ipv6 = endpoint.host.find(':') != std::string::npos;
    text += ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
    const std::uint16_t default_port = endpoint.https ? 443 : 80;
    if (endpoint.port != default_port) {
        text += ':' + std::to_string(endpoint.port);
    }
    text += endpoint.base_path;
    return text;
}

std::string send_message_path(const TelegramConfig& config) {
    return config.endpoint.base_path + "/bot" + config.bot_token + "/sendMessage";
}

std::string masked_send_message_url(const TelegramEndpoint& endpoint) {
    return api_base_display(endpoint) + "/bot***/sendMessage";
}

std::string mask_chat_id(std::string_view chat_id) {
    constexpr std::size_t kShown = 4;
    if (chat_id.size() <= kShown) {
        return "***";
    }
    return "***" + std::string(chat_id.substr(chat_id.size() - kShown));
}

std::string redact_secret(std::string_view text, std::string_view secret) {
    if (secret.empty()) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (true) {
        const std::size_t hit = text.find(secret, pos);
        if (hit == std::string_view::npos) {
            out.append(text.substr(pos));
            return out;
        }
        out.append(text.substr(pos, hit - pos));
        out += "***";
        pos = hit + secret.size();
    }
}

}  // namespace orch::host
