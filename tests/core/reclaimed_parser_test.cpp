#include "core/reclaimed_parser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace orch::pruner {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(ORCH_CORE_FIXTURES_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string with_crlf(const std::string& text) {
    std::string out;
    for (const char c : text) {
        out += (c == '\n') ? std::string("\r\n") : std::string(1, c);
    }
    return out;
}

TEST(ParseSize, DecimalUnitsAreBase1000) {
    EXPECT_EQ(parse_size("0B"), 0U);
    EXPECT_EQ(parse_size("1B"), 1U);
    EXPECT_EQ(parse_size("1kB"), 1000U);
    EXPECT_EQ(parse_size("30MB"), 30'000'000U);
    EXPECT_EQ(parse_size("2GB"), 2'000'000'000U);
    EXPECT_EQ(parse_size("3TB"), 3'000'000'000'000U);
    EXPECT_EQ(parse_size("4PB"), 4'000'000'000'000'000U);
    EXPECT_EQ(parse_size("5EB"), 5'000'000'000'000'000'000U);
    EXPECT_EQ(parse_size("0.000001ZB"), 1'000'000'000'000'000U);
    EXPECT_EQ(parse_size("0.000000001YB"), 1'000'000'000'000'000U);
}

TEST(ParseSize, BinaryUnitsAreBase1024) {
    EXPECT_EQ(parse_size("1KiB"), 1024U);
    EXPECT_EQ(parse_size("1MiB"), 1024U * 1024U);
    EXPECT_EQ(parse_size("1GiB"), 1024ULL * 1024 * 1024);
    EXPECT_EQ(parse_size("1TiB"), 1ULL << 40U);
    EXPECT_EQ(parse_size("1PiB"), 1ULL << 50U);
    EXPECT_EQ(parse_size("1EiB"), 1ULL << 60U);
    EXPECT_EQ(parse_size("0.5EiB"), 1ULL << 59U);
    EXPECT_EQ(parse_size("0.0078125ZiB"), 1ULL << 63U);          // 2^70 / 128
    EXPECT_EQ(parse_size("0.000000000000000000000001YiB"), 1U);  // 1.2089 bytes: floor
    EXPECT_EQ(parse_size("1.5GiB"), 1'610'612'736U);
}

TEST(ParseSize, UnitsAreCaseInsensitive) {
    for (const char* text : {"1kb", "1KB", "1Kb", "1kB"}) {
        EXPECT_EQ(parse_size(text), 1000U) << text;
    }
    for (const char* text : {"1kib", "1KIB", "1KiB", "1kIb"}) {
        EXPECT_EQ(parse_size(text), 1024U) << text;
    }
    EXPECT_EQ(parse_size("2gb"), 2'000'000'000U);
    EXPECT_EQ(parse_size("1b"), 1U);
}

TEST(ParseSize, DecimalsAreExact) {
    EXPECT_EQ(parse_size("12.35kB"), 12'350U);
    EXPECT_EQ(parse_size("929.5MB"), 929'500'000U);
    EXPECT_EQ(parse_size("1.5GB"), 1'500'000'000U);
    EXPECT_EQ(parse_size("60.02MB"), 60'020'000U);
    EXPECT_EQ(parse_size("0.1kB"), 100U);
    EXPECT_EQ(parse_size(".5kB"), 500U);
    EXPECT_EQ(parse_size("5.kB"), 5000U);
    EXPECT_EQ(parse_size("1.9999B"), 1U);  // fractions of a byte are dropped
    EXPECT_EQ(parse_size("0001.000MB"), 1'000'000U);
}

TEST(ParseSize, OptionalSpaceBetweenNumberAndUnit) {
    EXPECT_EQ(parse_size("929.5 MB"), 929'500'000U);
    EXPECT_EQ(parse_size("1\tKiB"), 1024U);
    EXPECT_EQ(parse_size("  30MB \r"), 30'000'000U);
}

TEST(ParseSize, SaturatesAtUint64Max) {
    EXPECT_EQ(parse_size("18446744073709551615B"), kMax);
    EXPECT_EQ(parse_size("18446744073709551614B"), kMax - 1);
    EXPECT_EQ(parse_size("18446744073709551616B"), kMax);
    EXPECT_EQ(parse_size("18.45EB"), kMax);
    EXPECT_EQ(parse_size("16EiB"), kMax);
    EXPECT_EQ(parse_size("1ZB"), kMax);
    EXPECT_EQ(parse_size("1YiB"), kMax);
    EXPECT_EQ(parse_size("999999999999999999999999999999999999YB"), kMax);
    EXPECT_EQ(parse_size(std::string(100000, '9') + "GB"), kMax);
}

TEST(ParseSize, LongInputsStayCheap) {
    EXPECT_EQ(parse_size(std::string(100000, '0') + "1kB"), 1000U);
    EXPECT_EQ(parse_size("1." + std::string(100000, '9') + "kB"), 1999U);
}

TEST(ParseSize, NotASize) {
    for (const char* text :
         {"",      "MB",    "B",     "30",      "30XB",    "30 M",   "30M",     "-1MB",
          "+1MB",  "1e3B",  "1,5MB", "1.5.2MB", "MB30",    "30MB30", "30 MB x", ".MB",
          "30MBs", "0x10B", "inf B", "nanMB",   "30 KiBi", "1kiB2"}) {
        EXPECT_EQ(parse_size(text), std::nullopt) << text;
    }
}

TEST(ParseReclaimed, RealLegacyOutputWithDeletedIds) {
    EXPECT_EQ(parse_reclaimed(fixture("legacy_prune_all.txt")), 60'020'000U);
}

TEST(ParseReclaimed, RealLegacyOutputNothingToPrune) {
    EXPECT_EQ(parse_reclaimed(fixture("legacy_prune_nothing.txt")), 0U);
}

TEST(ParseReclaimed, RealDockerErrorIsUnknown) {
    EXPECT_EQ(parse_reclaimed(fixture("legacy_prune_error_stderr.txt")), std::nullopt);
}

TEST(ParseReclaimed, BuildxTableTotal) {
    EXPECT_EQ(parse_reclaimed(fixture("buildx_prune_table.txt")), 1'500'000'000U);
    EXPECT_EQ(parse_reclaimed(fixture("buildx_prune_verbose.txt")), 929'500'000U);
    EXPECT_EQ(parse_reclaimed(fixture("buildx_prune_nothing.txt")), 0U);
}

TEST(ParseReclaimed, CrLfLineEnds) {
    for (const char* name : {"legacy_prune_all.txt", "buildx_prune_table.txt"}) {
        EXPECT_EQ(parse_reclaimed(with_crlf(fixture(name))), parse_reclaimed(fixture(name)))
            << name;
    }
    EXPECT_EQ(parse_reclaimed("Total:\t1.5GB\r\n"), 1'500'000'000U);
}

TEST(ParseReclaimed, SummaryForms) {
    EXPECT_EQ(parse_reclaimed("Total reclaimed space: 30MB"), 30'000'000U);
    EXPECT_EQ(parse_reclaimed("Total reclaimed space:30MB\n"), 30'000'000U);
    EXPECT_EQ(parse_reclaimed("Total:\t1.5GB"), 1'500'000'000U);
    EXPECT_EQ(parse_reclaimed("Total: 1.5GB"), 1'500'000'000U);
    EXPECT_EQ(parse_reclaimed("total reclaimed space: 2 kib"), 2048U);
    EXPECT_EQ(parse_reclaimed("  Total reclaimed space: 1B  "), 1U);
}

TEST(ParseReclaimed, LastReadableSummaryWins) {
    EXPECT_EQ(parse_reclaimed("Total reclaimed space: 1MB\nTotal:\t2MB\n"), 2'000'000U);
    EXPECT_EQ(parse_reclaimed("Total:\t2MB\nTotal reclaimed space: 1MB\n"), 1'000'000U);
    EXPECT_EQ(parse_reclaimed("Total:\t2MB\nTotal:\tgarbage\n"), 2'000'000U);
}

TEST(ParseReclaimed, AbsentOrGarbageIsUnknown) {
    EXPECT_EQ(parse_reclaimed(""), std::nullopt);
    EXPECT_EQ(parse_reclaimed("\n\n\r\n"), std::nullopt);
    EXPECT_EQ(parse_reclaimed("Deleted build cache objects:\nabc\n"), std::nullopt);
    EXPECT_EQ(parse_reclaimed("Total reclaimed space: lots"), std::nullopt);
    EXPECT_EQ(parse_reclaimed("Total reclaimed space:"), std::nullopt);
    EXPECT_EQ(parse_reclaimed("ERROR: failed to prune: context deadline exceeded"), std::nullopt);
    EXPECT_EQ(parse_reclaimed("Size:\t\t929.5MB\n"), std::nullopt);  // a row, not the summary
    EXPECT_EQ(parse_reclaimed("Grand Total: 5MB"), std::nullopt);
    EXPECT_EQ(parse_reclaimed(std::string("Total:\0 5MB", 11)), std::nullopt);
    EXPECT_EQ(parse_reclaimed(std::string(1 << 20, '\n')), std::nullopt);
}

TEST(ParseReclaimed, SaturatesLikeParseSize) {
    EXPECT_EQ(parse_reclaimed("Total reclaimed space: 99YB"), kMax);
}

}  // namespace
}  // namespace orch::pruner
