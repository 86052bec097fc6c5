// What the plugin adds to each GET /queue: status() (snapshot under a mutex, then JSON text),
// after a successful prune and while a prune is in flight. The second shows that status() does
// not wait for the prune: it costs the same.
#include <benchmark/benchmark.h>

#include <exception>
#include <thread>

#include "task_bench_support.hpp"

namespace {

void BM_Status_AfterAPrune(benchmark::State& state) {
    try {
        const orch::test::TempDir dir;
        auto bench = orch::bench::make_bench_task(orch::bench::write_summary_ssh(dir));
        bench->task->tick();
        if (bench->task->snapshot().hosts.front().successes_total != 1) {
            state.SkipWithError("the prune before the measurement failed");
            return;
        }
        for (auto _ : state) {
            benchmark::DoNotOptimize(bench->task->status());
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

void BM_Status_WhilePruning(benchmark::State& state) {
    try {
        const orch::test::TempDir dir;
        auto bench = orch::bench::make_bench_task(orch::bench::write_hanging_ssh(dir));
        bench->task->start();
        orch::bench::wait_for_hanging_ssh(dir);
        if (!bench->task->snapshot().hosts.front().in_flight) {
            bench->task->stop();
            state.SkipWithError("no prune in flight");
            return;
        }
        for (auto _ : state) {
            benchmark::DoNotOptimize(bench->task->status());
        }
        const bool still_in_flight = bench->task->snapshot().hosts.front().in_flight;
        bench->task->stop();
        if (!still_in_flight) {
            state.SkipWithError("the prune ended during the measurement");
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

}  // namespace

BENCHMARK(BM_Status_AfterAPrune);
BENCHMARK(BM_Status_WhilePruning);
