#pragma once
// Runs several variants of one operation in rotation, so each sees the same machine load (other
// engineers' compilers on a shared 2-core machine), and reports each one's median and minimum
// and its ratio to the first variant, the reference.
#include <benchmark/benchmark.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace orch::bench {

struct Variant {
    std::string name;
    std::function<void()> run;  // throws on failure
};

// One benchmark iteration runs every variant once (starting with a different one each time);
// the iteration time reported to Google Benchmark is that of `timed` (an index into variants).
// Counters: <name>_median_ms, <name>_min_ms and, for all but variants[0],
// <name>_ratio = median / median of variants[0].
void run_interleaved(benchmark::State& state, const std::vector<Variant>& variants,
                     std::size_t timed);

}  // namespace orch::bench
