#include "core/saturating.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace orch::pruner {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

TEST(SaturatingAdd, AddsBelowTheMaximumAndStopsThere) {
    EXPECT_EQ(saturating_add(0, 0), 0U);
    EXPECT_EQ(saturating_add(1, 2), 3U);
    EXPECT_EQ(saturating_add(kMax - 1, 1), kMax);
    EXPECT_EQ(saturating_add(kMax - 1, 2), kMax);
    EXPECT_EQ(saturating_add(kMax, 1), kMax);
    EXPECT_EQ(saturating_add(1, kMax), kMax);
    EXPECT_EQ(saturating_add(kMax, kMax), kMax);
    EXPECT_EQ(saturating_add(kMax, 0), kMax);
}

}  // namespace
}  // namespace orch::pruner
