// 5 (in-process). The plugin's load + create + start as a host does it: list the exported symbols
// without running plugin code (library_info), dlopen through Boost.DLL, read the descriptor and
// check compatibility, call the factory, start() the task. Each iteration loads a fresh copy of
// the .so (a new path is a new dlopen, not a reference-count bump); stop() and unload are outside
// the timing. Phase means are reported as counters; the first load in the process, which also maps
// the plugin's dependencies (Poco, Boost.JSON), is reported on its own.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "orch/plugin_api/plugin_api.hpp"
#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace api = orch::plugin_api;
using Clock = std::chrono::steady_clock;

struct Phases {
    Clock::duration probe{};
    Clock::duration load{};
    Clock::duration check{};
    Clock::duration create{};
    Clock::duration start{};
    Clock::duration total() const { return probe + load + check + create + start; }
};

struct Loaded {
    boost::dll::shared_library library;
    std::unique_ptr<api::IBackgroundTask> task;
};

// One host-style load of `path`; throws on anything a host would refuse.
Loaded load_create_start(const std::filesystem::path& path, api::TaskContext& context,
                         Phases& phases) {
    Loaded loaded;
    auto t = Clock::now();
    const auto symbols = boost::dll::library_info(path).symbols(api::kSymbolSection);
    if (std::find(symbols.begin(), symbols.end(), api::kFactorySymbol) == symbols.end()) {
        throw std::runtime_error(path.string() + " does not export " + api::kFactorySymbol);
    }
    auto now = Clock::now();
    phases.probe += now - t;
    t = now;
    loaded.library = boost::dll::shared_library(path);
    now = Clock::now();
    phases.load += now - t;
    t = now;
    const auto verdict = api::check_compatibility(
        *loaded.library.get_alias<api::DescriptorFn>(api::kDescriptorSymbol)(),
        api::host_descriptor());
    if (!verdict.ok) {
        throw std::runtime_error(verdict.reason);
    }
    now = Clock::now();
    phases.check += now - t;
    t = now;
    loaded.task = loaded.library.get_alias<api::FactoryFn>(api::kFactorySymbol)(context);
    now = Clock::now();
    phases.create += now - t;
    t = now;
    loaded.task->start();
    phases.start += Clock::now() - t;
    return loaded;
}

void unload(Loaded& loaded) {
    loaded.task->stop();
    loaded.task.reset();
    loaded.library.unload();
}

double mean_us(Clock::duration d, benchmark::IterationCount n) {
    return std::chrono::duration<double, std::micro>(d).count() / static_cast<double>(n);
}

// No ssh host: start() launches the schedule thread, whose first tick is a no-op.
void clear_plugin_environment() {
    for (const char* name : {"ORCH_DEPLOY_SSH_HOST", "ORCH_BUILD_CACHE_PRUNE_ENABLED"}) {
        ::unsetenv(name);
    }
}

void BM_PluginLoadCreateStart(benchmark::State& state) {
    clear_plugin_environment();
    try {
        const orch::test::TempDir dir;
        orch::test::RecordingLogger logger;
        orch::test::RecordingNotifier notifier;
        api::TaskContext context{"{}", &logger, &notifier};
        int copy = 0;
        const auto fresh_copy = [&] {
            const auto path = dir / ("libbuild_cache_pruner." + std::to_string(copy++) + ".so");
            std::filesystem::copy_file(ORCH_PLUGIN_PATH, path);
            return path;
        };

        Phases first;
        Loaded loaded = load_create_start(fresh_copy(), context, first);
        unload(loaded);

        Phases phases;
        for (auto _ : state) {
            const auto path = fresh_copy();
            Phases one;
            loaded = load_create_start(path, context, one);
            state.SetIterationTime(std::chrono::duration<double>(one.total()).count());
            phases.probe += one.probe;
            phases.load += one.load;
            phases.check += one.check;
            phases.create += one.create;
            phases.start += one.start;
            unload(loaded);
            std::filesystem::remove(path);
        }
        const auto n = state.iterations();
        state.counters["first_load_total_us"] = mean_us(first.total(), 1);
        state.counters["first_load_dlopen_us"] = mean_us(first.load, 1);
        state.counters["probe_us"] = mean_us(phases.probe, n);
        state.counters["dlopen_us"] = mean_us(phases.load, n);
        state.counters["check_us"] = mean_us(phases.check, n);
        state.counters["create_us"] = mean_us(phases.create, n);
        state.counters["start_us"] = mean_us(phases.start, n);
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

// With the library already loaded: what creating, starting and stopping one task costs.
void BM_TaskCreateStartStop(benchmark::State& state) {
    clear_plugin_environment();
    try {
        orch::test::RecordingLogger logger;
        orch::test::RecordingNotifier notifier;
        api::TaskContext context{"{}", &logger, &notifier};
        boost::dll::shared_library library(ORCH_PLUGIN_PATH);
        const auto create = library.get_alias<api::FactoryFn>(api::kFactorySymbol);
        for (auto _ : state) {
            auto task = create(context);
            task->start();
            task->stop();
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

}  // namespace

BENCHMARK(BM_PluginLoadCreateStart)
    ->Iterations(100)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TaskCreateStartStop)->UseRealTime()->Unit(benchmark::kMicrosecond);
