// 2. Tick overhead: one full tick (spawn through setsid, capture both pipes, parse, status update)
// against a fake ssh that prints a real prune summary and exits, next to the floor (posix_spawn +
// read stdout + waitpid of the same script and argv). Goal: the tick within 1.5x of the floor.
//
// BM_TickVsFloor runs the floor, the tick and the steps in between in rotation within each
// iteration, so a ratio compares runs under the same load; the steps attribute a gap: an extra
// exec of setsid(1), Poco's fork+exec (its child closes every fd below the soft RLIMIT_NOFILE),
// run_process (pipes, poll, process group), and the task around it.
#include <benchmark/benchmark.h>

#include <exception>
#include <string>

#include "interleaved.hpp"
#include "runner/executable_lookup.hpp"
#include "runner/process_runner.hpp"
#include "spawn_floor.hpp"
#include "task_bench_support.hpp"

namespace {

using orch::bench::SpawnVia;
using orch::bench::Variant;

// The soft RLIMIT_NOFILE for the "_nofile1024" variants: Debian's default for a login shell,
// where a service started by systemd would get 1024 too (LimitNOFILE's soft default).
constexpr unsigned long kLowNofile = 1024;

struct TickFixture {
    orch::test::TempDir dir;
    std::filesystem::path ssh = orch::bench::write_summary_ssh(dir);
    std::vector<std::string> argv = orch::bench::prune_argv(ssh);
    std::string expected = orch::bench::real_prune_output();
    std::unique_ptr<orch::bench::BenchTask> bench = orch::bench::make_bench_task(ssh);
    orch::pruner::CancelToken cancel;

    void tick() {
        bench->clock->step();
        // One host: the fleet's only entry (issue 11).
        const auto before = bench->task->snapshot().hosts.front().successes_total;
        bench->task->tick();
        const auto after = bench->task->snapshot().hosts.front();
        if (after.successes_total != before + 1 ||
            after.last_reclaimed_bytes != orch::bench::real_prune_reclaimed_bytes()) {
            throw std::runtime_error("tick did not succeed: " +
                                     after.last_error.value_or("wrong reclaimed bytes"));
        }
    }
    void run_process() {
        const auto result =
            orch::pruner::run_process(argv, orch::pruner::kDefaultSearchPath, {}, cancel);
        if (result.outcome != orch::pruner::RunOutcome::kExited || result.exit_code != 0 ||
            result.out.head != expected) {
            throw std::runtime_error("run_process failed: " + result.error);
        }
    }
    void spawn(SpawnVia via) {
        if (orch::bench::spawn_and_wait(argv, via) != expected) {
            throw std::runtime_error("the script's stdout was not captured whole");
        }
    }
};

template <typename Fn>
std::function<void()> with_low_nofile(Fn fn) {
    return [fn] {
        const orch::bench::ScopedNofileLimit limit(kLowNofile);
        fn();
    };
}

void BM_Tick(benchmark::State& state) {
    try {
        TickFixture f;
        for (auto _ : state) {
            f.tick();
        }
        state.counters["nofile"] = static_cast<double>(orch::bench::current_nofile_limit());
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

void BM_SpawnFloor(benchmark::State& state) {
    try {
        TickFixture f;
        for (auto _ : state) {
            f.spawn(SpawnVia::kPosixSpawn);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

void BM_TickVsFloor(benchmark::State& state) {
    try {
        TickFixture f;
        const std::vector<Variant> variants = {
            {"floor", [&] { f.spawn(SpawnVia::kPosixSpawn); }},
            {"spawn_setsid_flag", [&] { f.spawn(SpawnVia::kPosixSpawnSetsidFlag); }},
            {"spawn_setsid_exec", [&] { f.spawn(SpawnVia::kPosixSpawnSetsidExec); }},
            {"poco", [&] { f.spawn(SpawnVia::kPocoLaunch); }},
            {"poco_nofile1024", with_low_nofile([&] { f.spawn(SpawnVia::kPocoLaunch); })},
            {"poco_setsid_exec", [&] { f.spawn(SpawnVia::kPocoLaunchSetsidExec); }},
            {"poco_setsid_exec_nofile1024",
             with_low_nofile([&] { f.spawn(SpawnVia::kPocoLaunchSetsidExec); })},
            {"run_process", [&] { f.run_process(); }},
            {"run_process_nofile1024", with_low_nofile([&] { f.run_process(); })},
            {"tick", [&] { f.tick(); }},
            {"tick_nofile1024", with_low_nofile([&] { f.tick(); })},
        };
        orch::bench::run_interleaved(state, variants, variants.size() - 2);
        state.counters["nofile"] = static_cast<double>(orch::bench::current_nofile_limit());
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

// What Poco's fork+exec costs as a function of the soft RLIMIT_NOFILE (its child calls close() on
// every fd number below it): 1024 (systemd's default soft limit) and 20000 (this machine's
// shells). Raising it further needs CAP_SYS_RESOURCE; the cost per fd number is the slope.
void BM_PocoLaunchByNofile(benchmark::State& state) {
    try {
        TickFixture f;
        const orch::bench::ScopedNofileLimit limit(static_cast<unsigned long>(state.range(0)));
        for (auto _ : state) {
            f.spawn(SpawnVia::kPocoLaunch);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

}  // namespace

// Real time: the work happens in child processes, not on this thread's CPU clock.
BENCHMARK(BM_Tick)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SpawnFloor)->UseRealTime()->Unit(benchmark::kMicrosecond);
// 11 spawns per iteration; 150 iterations keep it under a minute on a loaded machine.
BENCHMARK(BM_TickVsFloor)->Iterations(150)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PocoLaunchByNofile)
    ->Arg(1024)
    ->Arg(20000)
    ->Iterations(20)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
