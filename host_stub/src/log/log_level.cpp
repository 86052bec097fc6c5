#include "log/log_level.hpp"

#include <array>

#include <Poco/String.h>

namespace orch::host {

namespace {

// Indexed by LogLevel.
constexpr std::array<std::string_view, 4> kLevelNames{"DEBUG", "INFO", "WARNING", "ERROR"};

}  // namespace

std::string_view log_level_name(LogLevel level) noexcept {
    const auto index = static_cast<std::size_t>(level);
    return index < kLevelNames.size() ? kLevelNames[index] : "UNKNOWN";
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
        if (Poco::icompare(text, kLevelNames[i]) == 0) {
            return static_cast<LogLevel>(i);
        }
    }
    if (Poco::icompare(text, "warn") == 0) {
        return LogLevel::kWarning;
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
