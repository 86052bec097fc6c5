#include "core/stagger.hpp"

#include <algorithm>
#include <cstdint>

#include "core/config.hpp"

namespace orch::pruner {

namespace {

// 2^64 / phi, rounded to odd: frac(i * phi) == frac(i / phi) == (i * kGolden mod 2^64) / 2^64.
constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// High 64 bits of a * b, in portable 32-bit halves (no __int128).
std::uint64_t multiply_high(std::uint64_t a, std::uint64_t b) {
    const std::uint64_t a_lo = a & 0xFFFFFFFFULL;
    const std::uint64_t a_hi = a >> 32U;
    const std::uint64_t b_lo = b & 0xFFFFFFFFULL;
    const std::uint64_t b_hi = b >> 32U;
    const std::uint64_t lo_lo = a_lo * b_lo;
    const std::uint64_t hi_lo = a_hi * b_lo;
    const std::uint64_t lo_hi = a_lo * b_hi;
    const std::uint64_t hi_hi = a_hi * b_hi;
    const std::uint64_t middle = (lo_lo >> 32U) + (hi_lo & 0xFFFFFFFFULL) + lo_hi;
    return hi_hi + (hi_lo >> 32U) + (middle >> 32U);
}

}  // namespace

std::chrono::milliseconds stagger_offset(std::size_t position, std::chrono::seconds stagger) {
    if (stagger <= std::chrono::seconds::zero()) {
        return std::chrono::milliseconds::zero();
    }
    // Bounded like an interval, so the conversion to milliseconds cannot overflow.
    const auto bounded = std::min(stagger, std::chrono::seconds(kMaxIntervalSeconds));
    const auto span_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(bounded).count());
    const std::uint64_t fraction = static_cast<std::uint64_t>(position) * kGolden;  // mod 2^64
    // fraction / 2^64 * span, rounded down: strictly below span.
    return std::chrono::milliseconds(static_cast<long long>(multiply_high(fraction, span_ms)));
}

}  // namespace orch::pruner
