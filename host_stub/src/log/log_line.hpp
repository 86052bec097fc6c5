#pragma once
// The text of one log line. Pure, so the format is tested without clocks or file descriptors.
#include <chrono>
#include <string>
#include <string_view>

#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

// Makes text safe for a single line: backslash, CR, LF and TAB become \\ \r \n \t, other control
// bytes become \xNN. Escaping the backslash too keeps the mapping reversible, so a message that
// literally contains "\n" cannot be mistaken for one that contained a newline. Bytes that are not
// valid UTF-8 become U+FFFD, so the log stays valid UTF-8 whatever a plugin or peer sends.
std::string escape_log_text(std::string_view text);

// "2026-11-28T04:53:34.123Z" (UTC, millisecond precision).
std::string format_utc_timestamp(std::chrono::system_clock::time_point when);

// "<timestamp> <LEVEL> [<source>] <message>\n" with source and message escaped.
std::string format_log_line(std::chrono::system_clock::time_point when, plugin_api::LogLevel level,
                            std::string_view source, std::string_view message);

}  // namespace orch::host
