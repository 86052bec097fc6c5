#include "core/until.hpp"

#include <gtest/gtest.h>

#include <string>

namespace orch::pruner {
namespace {

std::string normalized(std::string_view text) {
    const Result<std::string> result = normalize_until(text);
    EXPECT_TRUE(result.has_value()) << text << ": " << (result ? "" : result.error());
    return result ? *result : "<invalid>";
}

std::string error_of(std::string_view text) {
    const Result<std::string> result = normalize_until(text);
    EXPECT_FALSE(result.has_value()) << text << " -> " << *result;
    if (result) {
        return {};
    }
    // Every refusal tells the operator what would have been accepted.
    EXPECT_NE(result.error().find(kUntilExpected), std::string::npos) << result.error();
    return result.error();
}

TEST(Until, GoDurationsPassUnchanged) {
    for (const char* text : {"24h", "90m", "1h30m", "1.5h", "300ms", "45s", "10ns", "7us", "1h0m0s",
                             "2h45m30.5s", ".5h", "1.h", "0.5s", "0001h", "1m1m"}) {
        EXPECT_EQ(normalized(text), text);
    }
}

TEST(Until, MicroSignsBecomeUs) {
    EXPECT_EQ(normalized("5\xc2\xb5s"), "5us");  // U+00B5 MICRO SIGN
    EXPECT_EQ(normalized("5\xce\xbcs"), "5us");  // U+03BC GREEK SMALL LETTER MU
    EXPECT_EQ(normalized("1h2\xc2\xb5s3\xce\xbcs"), "1h2us3us");
}

TEST(Until, DaysAndWeeksBecomeHours) {
    EXPECT_EQ(normalized("7d"), "168h");
    EXPECT_EQ(normalized("1d"), "24h");
    EXPECT_EQ(normalized("2w"), "336h");
    EXPECT_EQ(normalized("007d"), "168h");
    EXPECT_EQ(normalized("106751d"), "2562024h");  // the largest whole day count Go can hold
    EXPECT_EQ(normalized("15250w"), "2562000h");
}

TEST(Until, BareSecondsGetAUnit) {
    EXPECT_EQ(normalized("3600"), "3600s");
    EXPECT_EQ(normalized("1"), "1s");
    EXPECT_EQ(normalized("0060"), "60s");
    EXPECT_EQ(normalized("9223372036"), "9223372036s");  // Go's maximum, in whole seconds
}

TEST(Until, TheLargestGoDurationIsAccepted) {
    EXPECT_EQ(normalized("2562047h"), "2562047h");
    EXPECT_EQ(normalized("2562047h47m16.854775807s"), "2562047h47m16.854775807s");
    EXPECT_EQ(normalized("9223372036854775807ns"), "9223372036854775807ns");
}

TEST(Until, BeyondGoMaximumIsRefused) {
    for (const char* text : {"2562048h", "2562047h47m16.854775808s", "9223372036854775808ns",
                             "99999999999999999999h", "106752d", "15251w", "9223372037",
                             "99999999999999999999999", "1000000000000000000000d"}) {
        EXPECT_NE(error_of(text).find("maximum"), std::string::npos) << text;
    }
}

TEST(Until, EmptyIsRefused) {
    EXPECT_NE(error_of("").find("empty"), std::string::npos);
}

TEST(Until, ZeroIsRefusedInEveryForm) {
    for (const char* text : {"0", "0s", "0h0m", "0d", "0w", "000", "0.0h", "0.0000000001s"}) {
        EXPECT_NE(error_of(text).find("zero"), std::string::npos) << text;
    }
}

TEST(Until, SignsAreRefused) {
    for (const char* text : {"-24h", "+24h", "-1", "+3600", "-7d"}) {
        EXPECT_NE(error_of(text).find("sign"), std::string::npos) << text;
    }
    EXPECT_FALSE(normalize_until("1h-30m").has_value());
}

TEST(Until, WhitespaceIsRefused) {
    for (const char* text : {" 24h", "24h ", "1h 30m", "24h\n", "\t24h", "24\rh"}) {
        EXPECT_NE(error_of(text).find("whitespace"), std::string::npos) << text;
    }
}

TEST(Until, ShellMetacharactersAreRefused) {
    for (const char* text : {"24h;rm", "24h|x", "24h&", "$(id)", "`id`",  "24h'",   "24h\"",
                             "24h>x",  "24h<x", "24h*", "24h?",  "24h\\", "24h#",   "24h=1",
                             "24h,1h", "24h/",  "~24h", "24h!",  "{24h}", "24h\x01"}) {
        EXPECT_NE(error_of(text).find("not allowed"), std::string::npos) << text;
    }
}

TEST(Until, GarbageIsRefused) {
    for (const char* text :
         {"abc", "h", "24hours", "24H", "1.5d", "1.5w", "7dd", "d", "1d2h", "2w1d", ".", ".s",
          "1..5h", "24x", "1e3s", "\xc2\xb5s", "5\xc2s", "5\xb5s", "1h30"}) {
        error_of(text);
    }
    // Not "24" alone: that is valid bare seconds.
    EXPECT_EQ(normalized("24"), "24s");
}

TEST(Until, ErrorsSayWhatWentWrong) {
    EXPECT_NE(error_of("24x").find("unknown unit \"x\""), std::string::npos);
    EXPECT_NE(error_of("1.5d").find("whole number"), std::string::npos);
    EXPECT_NE(error_of("1h30").find("missing its unit"), std::string::npos);
    EXPECT_NE(error_of("24h;").find("';'"), std::string::npos);
    EXPECT_NE(error_of("24h\x01").find("\\x01"), std::string::npos);
}

TEST(Until, ErrorTextNamesTheAcceptedForms) {
    EXPECT_NE(error_of("nope").find("no number before \"nope\""), std::string::npos);
    EXPECT_EQ(error_of("nope").substr(error_of("nope").find("expected")),
              "expected a Go duration such as 24h, 90m or 1h30m, whole days/weeks such as 7d or "
              "2w, or whole seconds such as 3600");
}

}  // namespace
}  // namespace orch::pruner
