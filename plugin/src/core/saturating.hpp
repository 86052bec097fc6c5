#pragma once
// Counters that stop at their maximum instead of wrapping: a total that wrapped would report a
// small number after a huge one, which is worse than "at least this much". Pure.
#include <cstdint>
#include <limits>

namespace orch::pruner {

constexpr std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    return b > max - a ? max : a + b;
}

}  // namespace orch::pruner
