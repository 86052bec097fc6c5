#pragma once
// Prune durations for build_cache_prune_run_duration_seconds: fixed buckets, plain counts. The
// task keeps one under its status lock; the renderer (metrics_text.hpp) makes it cumulative.
#include <array>
#include <cstddef>
#include <cstdint>

namespace orch::pruner {

struct DurationHistogram {
    // Upper bounds in seconds: a prune takes from a second (nothing to do) to the timeout (600 s
    // by default, up to an hour when an operator raises it).
    static constexpr std::array<double, 10> kBoundsSeconds{1,   5,   15,  30,   60,
                                                           120, 300, 600, 1800, 3600};

    std::array<std::uint64_t, kBoundsSeconds.size()> in_bucket{};  // not cumulative
    std::uint64_t count = 0;  // all observations, including those above the last bound
    double sum_seconds = 0.0;

    void observe(double seconds) {
        for (std::size_t i = 0; i < kBoundsSeconds.size(); ++i) {
            if (seconds <= kBoundsSeconds[i]) {
                ++in_bucket[i];
                break;
            }
        }
        ++count;
        sum_seconds += seconds;
    }
};

}  // namespace orch::pruner
