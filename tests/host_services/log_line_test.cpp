#include "log/log_line.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace orch::host {
namespace {

using namespace std::chrono;
using plugin_api::LogLevel;

system_clock::time_point at(year_month_day day, milliseconds time_of_day) {
    return sys_days(day) + time_of_day;
}

TEST(FormatUtcTimestamp, IsIso8601WithMillisecondsAndZ) {
    const auto when = at(2026y / November / 28, 4h + 53min + 34s + 123ms);
    EXPECT_EQ(format_utc_timestamp(when), "2026-11-28T04:53:34.123Z");
    EXPECT_EQ(format_utc_timestamp(at(1999y / January / 1, 0ms)), "1999-01-01T00:00:00.000Z");
}

TEST(EscapeLogText, KeepsOrdinaryTextIncludingUtf8) {
    EXPECT_EQ(escape_log_text("pruned 1.5 ГБ 🧹"), "pruned 1.5 ГБ 🧹");
}

TEST(EscapeLogText, EscapesLineBreaksTabsAndBackslashes) {
    EXPECT_EQ(escape_log_text("a\nb\r\nc\td"), "a\\nb\\r\\nc\\td");
    EXPECT_EQ(escape_log_text("C:\\path"), "C:\\\\path");
    // A literal backslash-n stays distinguishable from a newline.
    EXPECT_NE(escape_log_text("\\n"), escape_log_text("\n"));
}

TEST(EscapeLogText, EscapesOtherControlBytesAsHex) {
    EXPECT_EQ(escape_log_text(std::string_view("a\0b\x1b[31m\x7f", 9)), "a\\x00b\\x1b[31m\\x7f");
}

TEST(EscapeLogText, ReplacesBytesThatAreNotUtf8) {
    // A Latin-1 remote stderr, a cut multi-byte character, a surrogate: the log stays UTF-8.
    EXPECT_EQ(escape_log_text("Ger\xE4t"), "Ger\xEF\xBF\xBDt");
    EXPECT_EQ(escape_log_text("cut \xE2\x82"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(escape_log_text("\xED\xA0\x80\n"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\\n");
}

TEST(FormatLogLine, HasTimestampLevelSourceAndMessageOnOneLine) {
    const auto when = at(2026y / November / 28, 4h + 53min + 34s + 5ms);
    EXPECT_EQ(format_log_line(when, LogLevel::kWarning, "build_cache_pruner", "two\nlines"),
              "2026-11-28T04:53:34.005Z WARNING [build_cache_pruner] two\\nlines\n");
}

TEST(FormatLogLine, EscapesTheSourceToo) {
    const auto when = at(2026y / November / 28, 0ms);
    EXPECT_EQ(format_log_line(when, LogLevel::kInfo, "evil]\nid", "m"),
              "2026-11-28T00:00:00.000Z INFO [evil]\\nid] m\n");
}

}  // namespace
}  // namespace orch::host
