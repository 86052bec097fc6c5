#include "log/log_level.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace orch::host {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::string_view log_level_name(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::kDebug:
            return "DEBUG";
        case LogLevel::kInfo:
            return "INFO";
        case LogLevel::kWarning:
            return "WARNING";
        case LogLevel::kError:
            return "ERROR";
    }
    return "UNKNOWN";
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
    static constexpr std::array<std::pair<std::string_view, LogLevel>, 5> kNames{{
        {"debug", LogLevel::kDebug},
        {"info", LogLevel::kInfo},
        {"warning", LogLevel::kWarning},
        {"warn", LogLevel::kWarning},
        {"error", LogLevel::kError},
    }};
    for (const auto& [name, level] : kNames) {
        if (equals_ignoring_case(text, name)) {
            return level;
        }
    }
    return std::nullopt;
}

LogLevelSetting log_level_from_env(const Environment& env) {
    const auto it = env.find(std::string(kLogLevelEnvVar));
    if (it == env.end() || it->second.empty()) {
        return {};
    }
    if (const auto level = parse_log_level(it->second)) {
        return {*level, {}};
    }
    LogLevelSetting setting;
    setting.problem = std::string(kLogLevelEnvVar) + "='" + it->second +
                      "' is not a log level; expected one of debug, info, warning, error; using " +
                      "info";
    return setting;
}

}  // namespace orch::host
