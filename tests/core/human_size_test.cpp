#include "core/reclaimed_parser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace orch::pruner {
namespace {

// Expected values are what go-units HumanSize prints for the same byte counts.
TEST(HumanSize, MatchesGoUnits) {
    EXPECT_EQ(human_size(0), "0B");
    EXPECT_EQ(human_size(1), "1B");
    EXPECT_EQ(human_size(999), "999B");
    EXPECT_EQ(human_size(1000), "1kB");
    EXPECT_EQ(human_size(1024), "1.024kB");
    EXPECT_EQ(human_size(12345), "12.35kB");
    EXPECT_EQ(human_size(999999), "1000kB");  // %.4g of 999.999: go-units does not carry over
    EXPECT_EQ(human_size(1'000'000), "1MB");
    EXPECT_EQ(human_size(30'000'000), "30MB");
    EXPECT_EQ(human_size(60'020'000), "60.02MB");
    EXPECT_EQ(human_size(929'500'000), "929.5MB");
    EXPECT_EQ(human_size(1'500'000'000), "1.5GB");
    EXPECT_EQ(human_size(3'000'000'000'000), "3TB");
    EXPECT_EQ(human_size(4'000'000'000'000'000), "4PB");
    EXPECT_EQ(human_size(std::numeric_limits<std::uint64_t>::max()), "18.45EB");
}

TEST(HumanSize, RoundTripsThroughParseSizeWithinPrecision) {
    for (const std::uint64_t bytes :
         {0ULL, 1ULL, 500ULL, 12'350ULL, 30'000'000ULL, 929'500'000ULL, 1'500'000'000ULL}) {
        EXPECT_EQ(parse_size(human_size(bytes)), bytes) << human_size(bytes);
    }
}

}  // namespace
}  // namespace orch::pruner
