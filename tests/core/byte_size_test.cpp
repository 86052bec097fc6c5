#include "core/byte_size.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace orch::pruner {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

struct BytesCase {
    const char* text;
    std::uint64_t bytes;  // 0 = off
};

TEST(ParseByteSize, UnitsAsDockerPrintsThem) {
    const BytesCase cases[] = {
        {"0", 0},
        {"", 0},
        {"   ", 0},
        {"0GB", 0},
        {"0B", 0},
        {"1", 1},
        {"1024", 1024},
        {"500MB", 500'000'000},
        {"5GB", 5'000'000'000},
        {"1.5GB", 1'500'000'000},
        {"12.35kB", 12'350},
        {"1KB", 1000},  // any case, as go-units FromHumanSize
        {"1kb", 1000},
        {"5GiB", 5ULL << 30},
        {"1.5GiB", 3ULL << 29},
        {"1KiB", 1024},
        {"2TB", 2'000'000'000'000},
        {"1TiB", 1ULL << 40},
        {" 5 GB\t", 5'000'000'000},
        {"1.5B", 1},  // fractions of a byte are dropped
        {"9223372036854775807", 9'223'372'036'854'775'807ULL},
    };
    for (const auto& c : cases) {
        const auto result = parse_byte_size(c.text, PercentAllowed::kNo);
        ASSERT_TRUE(result) << c.text << ": " << result.error();
        EXPECT_EQ(*result, ByteSize::of_bytes(c.bytes)) << c.text;
        EXPECT_EQ(result->is_off(), c.bytes == 0) << c.text;
    }
}

TEST(ParseByteSize, RefusesWithTheExpectedForm) {
    for (const char* text :
         {"5 G", "abc", "-5GB", "+5GB", "1.5", "5GBs", "1e9", "5%GB", "GB", "8EiB",
          "9223372036854775808", "99999999999999999999999YB", "18446744073709551616", "0x10"}) {
        const auto result = parse_byte_size(text, PercentAllowed::kNo);
        ASSERT_FALSE(result) << text;
        EXPECT_NE(result.error().find(kByteSizeExpected), std::string::npos) << text;
    }
    EXPECT_NE(parse_byte_size("-1GB", PercentAllowed::kNo).error().find("sign"), std::string::npos);
    EXPECT_NE(parse_byte_size("8EiB", PercentAllowed::kNo).error().find("too large"),
              std::string::npos);
    EXPECT_NE(parse_byte_size("1.5", PercentAllowed::kNo).error().find("needs a unit"),
              std::string::npos);
}

TEST(ParseByteSize, PercentOnlyWhereAllowed) {
    const auto refused = parse_byte_size("10%", PercentAllowed::kNo);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("percentage is not allowed"), std::string::npos);

    struct Case {
        const char* text;
        std::uint32_t milli;  // 0 = off
    };
    const Case cases[] = {{"10%", 10'000},   {"2.5%", 2'500},     {"0.001%", 1},
                          {"100%", 100'000}, {"0%", 0},           {"0.0%", 0},
                          {" 7 %", 7'000},   {"99.999%", 99'999}, {"100.000%", 100'000}};
    for (const auto& c : cases) {
        const auto result = parse_byte_size(c.text, PercentAllowed::kYes);
        ASSERT_TRUE(result) << c.text << ": " << result.error();
        if (c.milli == 0) {
            EXPECT_TRUE(result->is_off()) << c.text;
        } else {
            EXPECT_EQ(result->kind, ByteSize::Kind::kPercent) << c.text;
            EXPECT_EQ(result->percent_milli, c.milli) << c.text;
        }
    }
    for (const char* text :
         {"100.001%", "101%", "1000000000000%", "%", ".%", "1.2345%", "-1%", "1e2%", "10%%"}) {
        const auto result = parse_byte_size(text, PercentAllowed::kYes);
        ASSERT_FALSE(result) << text;
        EXPECT_NE(result.error().find(kByteSizeOrPercentExpected), std::string::npos) << text;
    }
    // Bytes still work where a percentage is allowed.
    const auto bytes = parse_byte_size("5GB", PercentAllowed::kYes);
    ASSERT_TRUE(bytes) << bytes.error();
    EXPECT_EQ(*bytes, ByteSize::of_bytes(5'000'000'000));
}

TEST(ResolveByteSize, ExactFloorWithoutOverflow) {
    const ByteSize ten{ByteSize::Kind::kPercent, 0, 10'000};
    const ByteSize all{ByteSize::Kind::kPercent, 0, 100'000};
    const ByteSize tiny{ByteSize::Kind::kPercent, 0, 1};
    EXPECT_EQ(resolve_byte_size(ten, 400'000'000), 40'000'000U);
    EXPECT_EQ(resolve_byte_size(ten, 0), 0U);
    EXPECT_EQ(resolve_byte_size(ten, 9), 0U);
    EXPECT_EQ(resolve_byte_size(ten, 10), 1U);
    EXPECT_EQ(resolve_byte_size(all, kMax), kMax);
    EXPECT_EQ(resolve_byte_size(ten, kMax), kMax / 10);
    EXPECT_EQ(resolve_byte_size(tiny, 100'000), 1U);
    EXPECT_EQ(resolve_byte_size(tiny, 99'999), 0U);
    EXPECT_EQ(resolve_byte_size(ByteSize::off(), kMax), 0U);
    EXPECT_EQ(resolve_byte_size(ByteSize::of_bytes(123), 1), 123U);
}

TEST(ByteSizeText, ReadsBackToTheSameValue) {
    for (const char* text : {"0", "5GB", "1.5GiB", "10%", "2.5%", "0.125%", "100%", "1"}) {
        const auto value = parse_byte_size(text, PercentAllowed::kYes);
        ASSERT_TRUE(value) << text;
        const std::string shown = to_string(*value);
        if (value->is_off()) {
            EXPECT_EQ(shown, "off");
            continue;
        }
        EXPECT_TRUE(parse_byte_size(shown, PercentAllowed::kYes) == value) << shown;
    }
    EXPECT_EQ(to_string(ByteSize{ByteSize::Kind::kPercent, 0, 2'500}), "2.5%");
    EXPECT_EQ(to_string(ByteSize::of_bytes(5'000'000'000)), "5000000000B");
}

}  // namespace
}  // namespace orch::pruner
