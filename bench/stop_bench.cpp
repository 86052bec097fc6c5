// 1 (in-process). Stop latency with a prune in flight: the fake ssh has started a `sleep 60`
// grandchild and reported both pids through a FIFO; the time measured is stop() alone, until it
// returns. Afterwards both processes must be gone. Goal: under 100 ms, no process left.
// Reference in the same run: the floor for stopping a child at all, i.e. SIGKILL to its process
// group + waitpid, with the same script spawned by posix_spawn into its own session.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

#include "support/event_wait.hpp"
#include "task_bench_support.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using orch::bench::gone_within;
constexpr std::chrono::seconds kExitWait{1};

// Per-run bookkeeping shared by the three benchmarks: median and worst iteration, and leaks.
struct StopStats {
    std::vector<double> seconds_each;
    int ssh_alive_at_return = 0;  // the direct child still there when stop() returned
    int left_after_1s = 0;        // any of the two still there a second later

    void record(benchmark::State& state, Clock::duration took, pid_t ssh, pid_t grandchild) {
        const double seconds = std::chrono::duration<double>(took).count();
        state.SetIterationTime(seconds);
        seconds_each.push_back(seconds);
        ssh_alive_at_return += orch::test::process_gone(ssh) ? 0 : 1;
        left_after_1s += gone_within(ssh, kExitWait) ? 0 : 1;
        left_after_1s += gone_within(grandchild, kExitWait) ? 0 : 1;
    }
    void report(benchmark::State& state) {
        if (!seconds_each.empty()) {
            std::sort(seconds_each.begin(), seconds_each.end());
            state.counters["median_ms"] = seconds_each[seconds_each.size() / 2] * 1000.0;
            state.counters["max_ms"] = seconds_each.back() * 1000.0;
        }
        state.counters["ssh_alive_at_return"] = ssh_alive_at_return;
        state.counters["left_after_1s"] = left_after_1s;
    }
};

// The plugin as a host runs it: start() launches the schedule thread, which prunes at once.
void BM_Stop_ScheduleThreadPruning(benchmark::State& state) {
    StopStats stats;
    try {
        const orch::test::TempDir dir;
        const auto ssh = orch::bench::write_hanging_ssh(dir);
        for (auto _ : state) {
            auto bench = orch::bench::make_bench_task(ssh);
            bench->task->start();
            const auto [ssh_pid, grandchild] = orch::bench::wait_for_hanging_ssh(dir);
            const auto t0 = Clock::now();
            bench->task->stop();
            stats.record(state, Clock::now() - t0, ssh_pid, grandchild);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
    stats.report(state);
}

// The host drives tick() on its own thread (no start()); stop() comes from another thread.
void BM_Stop_HostTickPruning(benchmark::State& state) {
    StopStats stats;
    try {
        const orch::test::TempDir dir;
        const auto ssh = orch::bench::write_hanging_ssh(dir);
        for (auto _ : state) {
            auto bench = orch::bench::make_bench_task(ssh);
            std::thread host([&] { bench->task->tick(); });
            std::pair<pid_t, pid_t> pids;
            try {
                pids = orch::bench::wait_for_hanging_ssh(dir);
            } catch (...) {
                bench->task->stop();
                host.join();
                throw;
            }
            const auto t0 = Clock::now();
            bench->task->stop();
            stats.record(state, Clock::now() - t0, pids.first, pids.second);
            host.join();
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
    stats.report(state);
}

pid_t spawn_in_new_session(const std::filesystem::path& script) {
    return orch::bench::spawn_child({script.string()}, nullptr, POSIX_SPAWN_SETSID);
}

// The floor: killing the same process group and reaping its leader, nothing else.
void BM_StopFloor_KillGroupAndWaitpid(benchmark::State& state) {
    StopStats stats;
    try {
        const orch::test::TempDir dir;
        const auto ssh = orch::bench::write_hanging_ssh(dir);
        for (auto _ : state) {
            const pid_t pid = spawn_in_new_session(ssh);
            const auto [ssh_pid, grandchild] = orch::bench::wait_for_hanging_ssh(dir);
            const auto t0 = Clock::now();
            ::kill(-pid, SIGKILL);
            int status = 0;
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            stats.record(state, Clock::now() - t0, ssh_pid, grandchild);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
    stats.report(state);
}

}  // namespace

// Each iteration starts a fresh fake prune (a few ms); 50 of them bound the run to seconds.
BENCHMARK(BM_Stop_ScheduleThreadPruning)
    ->Iterations(50)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Stop_HostTickPruning)->Iterations(50)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StopFloor_KillGroupAndWaitpid)
    ->Iterations(50)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
