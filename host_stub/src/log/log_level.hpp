#pragma once
// Log levels by name, and the host's minimum level from ORCH_LOG_LEVEL.
#include <optional>
#include <string>
#include <string_view>

#include "orch/plugin_api/host_services.hpp"
#include "text/environment.hpp"

namespace orch::host {

using plugin_api::LogLevel;

inline constexpr std::string_view kLogLevelEnvVar = "ORCH_LOG_LEVEL";
inline constexpr LogLevel kDefaultLogLevel = LogLevel::kInfo;

// "DEBUG", "INFO", "WARNING", "ERROR".
std::string_view log_level_name(LogLevel level) noexcept;

// Accepts debug|info|warning|error in any letter case ("warn" too); anything else is nullopt.
std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

struct LogLevelSetting {
    LogLevel level = kDefaultLogLevel;
    // Empty when the variable is absent or valid; otherwise says what was wrong and what was
    // used instead, for the host to log once it has a logger.
    std::string problem;
};

LogLevelSetting log_level_from_env(const Environment& env);

constexpr bool is_enabled(LogLevel level, LogLevel minimum) noexcept {
    return static_cast<int>(level) >= static_cast<int>(minimum);
}

}  // namespace orch::host
