#include "log/log_line.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include "log/log_level.hpp"
#include "text/utf8_text.hpp"

namespace orch::host {

std::string escape_log_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            // Any other byte of a multi-byte character is >= 0x80 too, so a control byte or
            // a backslash is never hidden inside one.
            pos += append_utf8_character(out, text.substr(pos));
            continue;
        }
        ++pos;
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (byte < 0x20 || byte == 0x7f) {
                    std::array<char, 5> hex{};
                    std::snprintf(hex.data(), hex.size(), "\\x%02x", static_cast<unsigned>(byte));
                    out += hex.data();
                } else {
                    out += c;
                }
        }
    }
    return out;
}

std::string format_utc_timestamp(std::chrono::system_clock::time_point when) {
    const auto since_epoch = when.time_since_epoch();
    auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
    const std::time_t as_time_t = static_cast<std::time_t>(seconds.count());
    std::tm utc{};
    gmtime_r(&as_time_t, &utc);
    // Sized for any int the fields could hold, not just real dates, so nothing is ever cut.
    std::array<char, 96> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec, static_cast<int>(millis));
    return buffer.data();
}

std::string format_log_line(std::chrono::system_clock::time_point when, plugin_api::LogLevel level,
                            std::string_view source, std::string_view message) {
    std::string line = format_utc_timestamp(when);
    line += ' ';
    line += log_level_name(level);
    line += " [";
    line += escape_log_text(source);
    line += "] ";
    line += escape_log_text(message);
    line += '\n';
    return line;
}

}  // namespace orch::host
