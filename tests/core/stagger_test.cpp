#include "core/stagger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace orch::pruner {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Stagger, ZeroOrNegativeStaggerStartsEveryHostAtOnce) {
    for (std::size_t i = 0; i < 100; ++i) {
        EXPECT_EQ(stagger_offset(i, seconds(0)), milliseconds(0));
        EXPECT_EQ(stagger_offset(i, seconds(-5)), milliseconds(0));
    }
}

// The table: frac(i * phi) * 600 s, in whole milliseconds (rounded down).
TEST(Stagger, GoldenRatioOffsetsTable) {
    struct Row {
        std::size_t position;
        long long ms;
    };
    const Row rows[] = {{0, 0},      {1, 370820}, {2, 141640}, {3, 512461}, {4, 283281}, {5, 54101},
                        {6, 424922}, {7, 195742}, {8, 566563}, {9, 337383}, {10, 108203}};
    for (const Row& row : rows) {
        EXPECT_EQ(stagger_offset(row.position, seconds(600)).count(), row.ms)
            << "position " << row.position;
    }
}

TEST(Stagger, DeterministicAndInsideTheStagger) {
    for (std::size_t i = 0; i < 5000; ++i) {
        const milliseconds offset = stagger_offset(i, seconds(60));
        EXPECT_EQ(offset, stagger_offset(i, seconds(60)));
        EXPECT_GE(offset, milliseconds(0));
        EXPECT_LT(offset, seconds(60));
    }
}

TEST(Stagger, AddingHostsKeepsTheExistingOffsets) {
    // Position-based: the offsets of hosts 0..9 do not depend on how many hosts follow.
    std::vector<milliseconds> ten;
    for (std::size_t i = 0; i < 10; ++i) {
        ten.push_back(stagger_offset(i, seconds(300)));
    }
    for (std::size_t i = 0; i < 10; ++i) {
        EXPECT_EQ(stagger_offset(i, seconds(300)), ten[i]);
    }
}

// Evenly spread for every fleet size: no gap (including the wrap-around from the last offset
// back to the stagger's end) is more than 2x the even share stagger / N.
TEST(Stagger, EvenlySpreadForEveryFleetSize) {
    const seconds stagger(3600);
    const long long span = milliseconds(stagger).count();
    for (std::size_t n : {2U, 3U, 4U, 5U, 7U, 8U, 13U, 100U, 999U, 1000U, 4096U}) {
        std::vector<long long> offsets;
        for (std::size_t i = 0; i < n; ++i) {
            offsets.push_back(stagger_offset(i, stagger).count());
        }
        std::sort(offsets.begin(), offsets.end());
        long long largest_gap = span - offsets.back() + offsets.front();
        for (std::size_t i = 1; i < n; ++i) {
            largest_gap = std::max(largest_gap, offsets[i] - offsets[i - 1]);
        }
        const long long even = span / static_cast<long long>(n);
        EXPECT_LE(largest_gap, 2 * even) << n << " hosts";
    }
}

TEST(Stagger, HugeStaggerIsBoundedInsteadOfOverflowing) {
    const milliseconds offset = stagger_offset(1, seconds(std::chrono::seconds::max()));
    EXPECT_GE(offset, milliseconds(0));
    EXPECT_LT(offset, seconds(31'536'000));
}

}  // namespace
}  // namespace orch::pruner
