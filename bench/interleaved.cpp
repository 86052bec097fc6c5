#include "interleaved.hpp"

#include <algorithm>
#include <exception>

namespace orch::bench {

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    const std::size_t mid = samples.size() / 2;
    return samples.size() % 2 == 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
}

}  // namespace

void run_interleaved(benchmark::State& state, const std::vector<Variant>& variants,
                     std::size_t timed) {
    std::vector<std::vector<double>> ms(variants.size());
    std::size_t first = 0;
    try {
        for (auto _ : state) {
            for (std::size_t k = 0; k < variants.size(); ++k) {
                const std::size_t i = (first + k) % variants.size();
                const auto t0 = Clock::now();
                variants[i].run();
                const double took = std::chrono::duration<double>(Clock::now() - t0).count();
                ms[i].push_back(took * 1000.0);
                if (i == timed) {
                    state.SetIterationTime(took);
                }
            }
            first = (first + 1) % variants.size();
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    if (ms.front().empty()) {
        return;
    }
    const double reference = median(ms.front());
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const double m = median(ms[i]);
        state.counters[variants[i].name + "_median_ms"] = m;
        state.counters[variants[i].name + "_min_ms"] =
            *std::min_element(ms[i].begin(), ms[i].end());
        if (i > 0) {
            state.counters[variants[i].name + "_ratio"] = m / reference;
        }
    }
}

}  // namespace orch::bench
