// Issue 11, in-process: the fleet task built by the plugin's own factory (make_pruner_task from
// a manifest config, empty environment) against a real fake-ssh process per host
// (bench/fleet_fake_ssh.sh).
//
// BM_FleetRound: 200 hosts, a prune of 200 ms, five hosts hanging until the 2 s timeout,
// parallelism 8: the wall time of one tick() (the first round of a fresh task, as
// `host_stub --once` runs it) next to the ideal ceil(200/8) x 0.2 s + 2 s = 7 s (goal: at
// most 1.15x). Which hosts hang matters, because all hosts are due at once and are taken in list
// order: /0 "spread" (fleet-040, -080, -120, -160, -200: the last host hangs, the worst case for
// list order) and /1 "first" (fleet-001 .. -005, the best case). ideal_list_order_ms is the
// round with no overhead at all for that placement (8 slots taking hosts in list order: 7.8 s
// and 6.2 s). References run in rotation within each iteration, so every ratio compares runs
// under the same load:
//   floor_fake   the same 200 argv (the plugin's own, from prune_units_for) on a plain pool of 8
//                threads: posix_spawn, wait, SIGKILL the group at 2 s: the round without the
//                plugin (the fakes' own cost included);
//   sleep_pool   200 x `sh -c 'sleep 0.2'` on 8 threads (ideal 5 s): the spawn floor.
// Peak concurrency: the fakes count themselves under flock; the largest count any fake saw at
// its start must be exactly 8. For the median and the slowest round, from the hosts' status:
// when the last host started, the longest host, the mean host that did not hang (the fake as
// the plugin timed it) and how busy the 8 slots were, so a slow round can be told apart from
// slots left idle.
//
// BM_FleetStop_*: 200 hosts that all hang, parallelism 8: once 8 fakes have reported (a FIFO),
// the time of stop() alone (goal < 100 ms), then that every fake and its `sleep` child is gone
// and that no ninth host started. Reference: SIGKILL to 8 process groups + waitpid, same fakes.
//
// BM_FleetStatus / BM_FleetQueueRender: after one round, 1 vs 1000 hosts, the two parts of a
// GET /queue without HTTP: the plugin's status() and the host's render_queue_json over it.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <system_error>
#include <thread>

#include <boost/json/parse.hpp>

#include "fleet_bench_support.hpp"
#include "interleaved.hpp"
#include "queue/queue_json.hpp"
#include "support/event_wait.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using orch::bench::FakeFleet;
using orch::bench::FakeFleetSettings;

constexpr int kHosts = 200;
constexpr int kParallelism = 8;
constexpr int kTimeoutS = 2;
constexpr double kPruneS = 0.2;
constexpr int kHanging = 5;
// ceil(200/8) x 0.2 s + 2 s.
constexpr double kIdealRoundS = ((kHosts + kParallelism - 1) / kParallelism) * kPruneS + kTimeoutS;

// The hanging hosts of placement 0 (spread) and 1 (first).
std::vector<std::string> hanging_hosts(std::int64_t placement) {
    return placement == 0 ? std::vector<std::string>{"fleet-040", "fleet-080", "fleet-120",
                                                     "fleet-160", "fleet-200"}
                          : std::vector<std::string>{"fleet-001", "fleet-002", "fleet-003",
                                                     "fleet-004", "fleet-005"};
}

// The round's length with no overhead: `slots` slots take the jobs in list order, each the
// moment a slot is free (what both the plugin and the floor pool do).
double list_order_makespan(const std::vector<double>& durations, int slots) {
    std::vector<double> free_at(static_cast<std::size_t>(slots), 0.0);
    double end = 0;
    for (const double d : durations) {
        auto slot = std::min_element(free_at.begin(), free_at.end());
        *slot += d;
        end = std::max(end, *slot);
    }
    return end;
}

double load1() {
    std::ifstream in("/proc/loadavg");
    double load = -1;
    in >> load;
    return load;
}

boost::json::object status_of(const orch::pruner::PrunerTask& task) {
    return boost::json::parse(task.status()).as_object();
}

std::int64_t int_at(const boost::json::object& o, const char* key) {
    return o.at(key).to_number<std::int64_t>();
}

std::vector<std::string> hanging_targets(std::int64_t placement) {
    std::vector<std::string> out;
    for (const auto& host : hanging_hosts(placement)) {
        out.push_back(orch::bench::fleet_target(host));
    }
    return out;
}

// What one run of the fakes left behind: every host ran once, the right ones hung, the largest
// concurrency any fake saw, and every hanging fake and its child gone afterwards.
struct RunCheck {
    int peak_max = 0;
    int starts_at_peak = 0;
    int runs = 0;
    int missing_runs = 0;  // hosts whose fake never got as far as counting itself

    void check(const FakeFleet& fake, int expected_runs, const char* what) {
        const auto ran = fake.ran();
        std::set<std::string> targets;
        for (const auto& [target, pid] : ran) {
            targets.insert(target);
        }
        if (static_cast<int>(ran.size()) != static_cast<int>(targets.size())) {
            throw std::runtime_error(std::string(what) + ": a host ran twice in one round");
        }
        missing_runs += expected_runs - static_cast<int>(targets.size());
        for (const pid_t pid : fake.hung_pids()) {
            if (!orch::bench::gone_within(pid, 1s)) {
                throw std::runtime_error(std::string(what) + ": hanging fake process " +
                                         std::to_string(pid) + " still there 1 s after the run");
            }
        }
        const auto peaks = fake.peaks();
        const int peak = peaks.empty() ? 0 : *std::max_element(peaks.begin(), peaks.end());
        peak_max = std::max(peak_max, peak);
        starts_at_peak += static_cast<int>(std::count(peaks.begin(), peaks.end(), kParallelism));
        runs += static_cast<int>(peaks.size());
    }
};

// Where the time of a round went, from the hosts' status: when the last host started (after the
// tick began) and the longest single host.
struct RoundShape {
    double took_ms = 0;
    double last_start_ms = 0;
    double longest_host_ms = 0;
    double mean_normal_host_ms = 0;  // the hosts that did not hang: the fake as the plugin saw it
    double slots_busy = 0;           // sum of the hosts' durations / (8 slots x the round)
};

RoundShape describe_round(const boost::json::object& status, double started_ts, double took_ms) {
    RoundShape shape{took_ms, 0, 0, 0, 0};
    double total_ms = 0;
    double normal_ms = 0;
    int normal = 0;
    for (const auto& [key, host] : status.at("hosts").as_object()) {
        const auto& h = host.as_object();
        const double ms = h.at("last_duration_ms").to_number<double>();
        shape.last_start_ms = std::max(
            shape.last_start_ms, (h.at("last_run_ts").to_number<double>() - started_ts) * 1000);
        shape.longest_host_ms = std::max(shape.longest_host_ms, ms);
        total_ms += ms;
        if (h.at("timeouts_total").to_number<std::int64_t>() == 0) {
            normal_ms += ms;
            ++normal;
        }
    }
    shape.mean_normal_host_ms = normal > 0 ? normal_ms / normal : 0;
    shape.slots_busy = total_ms / (kParallelism * took_ms);
    return shape;
}

// One line per host that failed although it does not hang: when it started (after the tick
// began), how long it ran, its error, and whether its fake got as far as counting itself.
void report_unexpected_round(const boost::json::object& status, double started_ts,
                             const FakeFleet& fake, const std::vector<std::string>& hanging) {
    std::set<std::string> ran;
    for (const auto& [target, pid] : fake.ran()) {
        ran.insert(target);
    }
    std::fprintf(stderr, "unexpected round: %lld successes, %lld timeouts, %lld in flight\n",
                 static_cast<long long>(int_at(status, "successes_total")),
                 static_cast<long long>(int_at(status, "timeouts_total")),
                 static_cast<long long>(int_at(status, "in_flight_total")));
    for (const auto& [key, host] : status.at("hosts").as_object()) {
        const auto& h = host.as_object();
        const std::string target(key);
        const bool hangs = std::find_if(hanging.begin(), hanging.end(), [&](const auto& name) {
                               return orch::bench::fleet_target(name) == target;
                           }) != hanging.end();
        if (hangs || int_at(h, "successes_total") == 1) {
            continue;
        }
        std::fprintf(stderr,
                     "  %s: started at +%.0f ms, ran %lld ms, fake counted itself: %s, %s\n",
                     target.c_str(), (h.at("last_run_ts").to_number<double>() - started_ts) * 1000,
                     static_cast<long long>(int_at(h, "last_duration_ms")),
                     ran.count(target) != 0 ? "yes" : "no",
                     h.at("last_error").is_string() ? h.at("last_error").as_string().c_str() : "");
    }
}

void BM_FleetRound(benchmark::State& state) {
    try {
        const auto placement = state.range(0);
        const auto hanging = hanging_hosts(placement);
        const FakeFleet fake(FakeFleetSettings{"0.2", hanging_targets(placement), false, {}});
        const auto hosts = orch::bench::fleet_host_names(kHosts);
        const std::string config = orch::bench::fleet_config_json(hosts, kParallelism, kTimeoutS);

        // A fresh task per round (built here, outside the timing): every host is due at once
        // and taken in list order, as in the first round after start.
        std::vector<std::unique_ptr<orch::bench::FleetTask>> tasks;
        for (auto n = state.max_iterations; n > 0; --n) {
            tasks.push_back(orch::bench::make_fleet_task(config, fake.ssh()));
        }
        std::size_t next_task = 0;

        std::vector<double> durations;
        for (const auto& host : hosts) {
            const bool hangs = std::find(hanging.begin(), hanging.end(), host) != hanging.end();
            durations.push_back(hangs ? kTimeoutS : kPruneS);
        }
        const double ideal_list_order_s = list_order_makespan(durations, kParallelism);

        std::vector<orch::bench::FloorJob> fake_jobs;
        for (auto& argv : orch::bench::fleet_prune_argvs(config, fake.ssh())) {
            fake_jobs.push_back({std::move(argv), std::chrono::seconds(kTimeoutS)});
        }
        const std::vector<orch::bench::FloorJob> sleep_jobs(
            kHosts, orch::bench::FloorJob{{"/bin/sh", "-c", "sleep 0.2"}});

        RunCheck tick_check;
        RunCheck floor_check;
        std::vector<RoundShape> shapes;
        int unexpected_rounds = 0;         // rounds where more than the 5 hosts timed out
        int floor_unexpected_kills = 0;    // the same in the floor: jobs killed beyond the 5
        std::vector<double> floor_job_ms;  // per run: the mean fake that exited, spawn to reaped
        const double load_start = load1();
        const std::vector<orch::bench::Variant> variants = {
            {"floor_fake",
             [&] {
                 const auto run = orch::bench::run_floor_pool(fake_jobs, kParallelism);
                 floor_unexpected_kills += run.killed - kHanging;
                 floor_job_ms.push_back(run.mean_exited_ms);
                 floor_check.check(fake, kHosts, "floor");
                 fake.reset();
             }},
            {"sleep_pool", [&] { orch::bench::run_floor_pool(sleep_jobs, kParallelism); }},
            {"tick",
             [&] {
                 auto& task = *tasks.at(next_task++)->task;
                 const double started_ts =
                     orch::pruner::to_unix_seconds(std::chrono::system_clock::now());
                 const auto t0 = Clock::now();
                 task.tick();
                 const double took_ms =
                     std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                 const auto after = status_of(task);
                 shapes.push_back(describe_round(after, started_ts, took_ms));
                 if (int_at(after, "successes_total") != kHosts - kHanging ||
                     int_at(after, "timeouts_total") != kHanging ||
                     int_at(after, "in_flight_total") != 0) {
                     // Not thrown: a round is what it is; counted, and described on stderr.
                     ++unexpected_rounds;
                     report_unexpected_round(after, started_ts, fake, hanging);
                 }
                 tick_check.check(fake, kHosts, "tick");
                 fake.reset();
             }},
        };
        orch::bench::run_interleaved(state, variants, variants.size() - 1);
        if (shapes.empty() || floor_job_ms.empty()) {
            return;  // skipped with an error
        }
        const double tick_ms = state.counters["tick_median_ms"].value;
        state.counters["ideal_ms"] = kIdealRoundS * 1000.0;
        state.counters["ideal_list_order_ms"] = ideal_list_order_s * 1000.0;
        state.counters["tick_vs_ideal"] = tick_ms / (kIdealRoundS * 1000.0);
        state.counters["tick_min_vs_ideal"] =
            state.counters["tick_min_ms"].value / (kIdealRoundS * 1000.0);
        state.counters["tick_vs_list_order"] = tick_ms / (ideal_list_order_s * 1000.0);
        state.counters["floor_fake_vs_list_order"] =
            state.counters["floor_fake_median_ms"].value / (ideal_list_order_s * 1000.0);
        std::sort(shapes.begin(), shapes.end(),
                  [](const RoundShape& a, const RoundShape& b) { return a.took_ms < b.took_ms; });
        std::sort(floor_job_ms.begin(), floor_job_ms.end());
        state.counters["floor_fake_mean_normal_job_ms"] = floor_job_ms[floor_job_ms.size() / 2];
        for (const auto& [name, shape] : {std::pair{"median_round_", shapes[shapes.size() / 2]},
                                          std::pair{"slowest_round_", shapes.back()}}) {
            const std::string prefix = name;
            state.counters[prefix + "ms"] = shape.took_ms;
            state.counters[prefix + "last_start_ms"] = shape.last_start_ms;
            state.counters[prefix + "longest_host_ms"] = shape.longest_host_ms;
            state.counters[prefix + "mean_normal_host_ms"] = shape.mean_normal_host_ms;
            state.counters[prefix + "slots_busy"] = shape.slots_busy;
        }
        state.counters["tick_peak_ssh"] = tick_check.peak_max;
        state.counters["tick_starts_seeing_8"] = tick_check.starts_at_peak;
        state.counters["tick_fake_runs"] = tick_check.runs;
        state.counters["tick_unexpected_rounds"] = unexpected_rounds;
        state.counters["tick_missing_runs"] = tick_check.missing_runs;
        state.counters["floor_unexpected_kills"] = floor_unexpected_kills;
        state.counters["floor_missing_runs"] = floor_check.missing_runs;
        state.counters["floor_peak_ssh"] = floor_check.peak_max;
        state.counters["load1_start"] = load_start;
        state.counters["load1_end"] = load1();
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

// Per-run bookkeeping of the stop benchmarks: median and worst stop, and leaks.
struct StopStats {
    std::vector<double> ms_each;
    int ssh_alive_at_return = 0;  // fakes (direct children) still there when stop() returned
    int left_after_1s = 0;        // fakes or their `sleep` still there a second later
    int extra_starts = 0;         // hosts started beyond the 8 in flight
    int peak_max = 0;

    void record(benchmark::State& state, Clock::duration took,
                const std::vector<std::pair<pid_t, pid_t>>& pids) {
        const double seconds = std::chrono::duration<double>(took).count();
        state.SetIterationTime(seconds);
        ms_each.push_back(seconds * 1000.0);
        for (const auto& [ssh, child] : pids) {
            ssh_alive_at_return += orch::test::process_gone(ssh) ? 0 : 1;
        }
        for (const auto& [ssh, child] : pids) {
            left_after_1s += orch::bench::gone_within(ssh, 1s) ? 0 : 1;
            left_after_1s += orch::bench::gone_within(child, 1s) ? 0 : 1;
        }
    }
    void after_stop(const FakeFleet& fake, orch::bench::FifoLines& fifo) {
        extra_starts += static_cast<int>(fifo.drain().size());
        extra_starts += std::max(0, static_cast<int>(fake.ran().size()) - kParallelism);
        const auto peaks = fake.peaks();
        if (!peaks.empty()) {
            peak_max = std::max(peak_max, *std::max_element(peaks.begin(), peaks.end()));
        }
        fake.reset();
    }
    void report(benchmark::State& state) {
        if (!ms_each.empty()) {
            std::sort(ms_each.begin(), ms_each.end());
            state.counters["median_ms"] = ms_each[ms_each.size() / 2];
            state.counters["max_ms"] = ms_each.back();
        }
        state.counters["ssh_alive_at_return"] = ssh_alive_at_return;
        state.counters["left_after_1s"] = left_after_1s;
        state.counters["extra_starts"] = extra_starts;
        state.counters["peak_ssh"] = peak_max;
        state.counters["load1"] = load1();
    }
};

// The pids of the 8 fakes in flight, as they report them ("<pid> <sleep pid>").
std::vector<std::pair<pid_t, pid_t>> wait_for_eight(orch::bench::FifoLines& fifo) {
    std::vector<std::pair<pid_t, pid_t>> out;
    while (out.size() < static_cast<std::size_t>(kParallelism)) {
        const auto line = fifo.next(10s);
        int ssh = 0;
        int child = 0;
        if (!line || std::sscanf(line->c_str(), "%d %d", &ssh, &child) != 2) {
            throw std::runtime_error("only " + std::to_string(out.size()) +
                                     " hanging fakes reported within 10 s");
        }
        out.emplace_back(ssh, child);
    }
    return out;
}

struct StopFixture {
    orch::test::TempDir fifo_dir;
    orch::bench::FifoLines fifo{fifo_dir / "started"};
    FakeFleet fake{FakeFleetSettings{"0", {}, true, fifo_dir / "started"}};
    std::string config =
        orch::bench::fleet_config_json(orch::bench::fleet_host_names(kHosts), kParallelism, 600);
};

// The plugin as a host runs it: start() launches 8 workers, each takes a host at once.
void BM_FleetStop_Schedule(benchmark::State& state) {
    StopStats stats;
    try {
        StopFixture f;
        for (auto _ : state) {
            auto fleet = orch::bench::make_fleet_task(f.config, f.fake.ssh());
            fleet->task->start();
            std::vector<std::pair<pid_t, pid_t>> pids;
            try {
                pids = wait_for_eight(f.fifo);
            } catch (...) {
                fleet->task->stop();
                throw;
            }
            const auto t0 = Clock::now();
            fleet->task->stop();
            stats.record(state, Clock::now() - t0, pids);
            stats.after_stop(f.fake, f.fifo);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
    stats.report(state);
}

// The host drives tick() on its own thread; stop() comes from another.
void BM_FleetStop_HostTick(benchmark::State& state) {
    StopStats stats;
    try {
        StopFixture f;
        for (auto _ : state) {
            auto fleet = orch::bench::make_fleet_task(f.config, f.fake.ssh());
            std::thread host([&] { fleet->task->tick(); });
            std::vector<std::pair<pid_t, pid_t>> pids;
            try {
                pids = wait_for_eight(f.fifo);
            } catch (...) {
                fleet->task->stop();
                host.join();
                throw;
            }
            const auto t0 = Clock::now();
            fleet->task->stop();
            stats.record(state, Clock::now() - t0, pids);
            host.join();
            stats.after_stop(f.fake, f.fifo);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
    stats.report(state);
}

pid_t spawn_in_new_session(const std::vector<std::string>& argv) {
    orch::bench::SpawnFileActions actions;
    posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    return orch::bench::spawn_child(argv, &actions, POSIX_SPAWN_SETSID);
}

// The floor: the same 8 fakes started by posix_spawn, each in its own session; the time of
// SIGKILL to the 8 groups and 8 waitpid calls, nothing else.
void BM_FleetStopFloor_KillGroupsAndWaitpid(benchmark::State& state) {
    StopStats stats;
    try {
        StopFixture f;
        const auto argvs = orch::bench::fleet_prune_argvs(f.config, f.fake.ssh());
        for (auto _ : state) {
            std::vector<pid_t> leaders;
            for (int i = 0; i < kParallelism; ++i) {
                leaders.push_back(spawn_in_new_session(argvs[static_cast<std::size_t>(i)]));
            }
            const auto pids = wait_for_eight(f.fifo);
            const auto t0 = Clock::now();
            for (const pid_t pid : leaders) {
                ::kill(-pid, SIGKILL);
            }
            for (const pid_t pid : leaders) {
                int status = 0;
                while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                }
            }
            stats.record(state, Clock::now() - t0, pids);
            stats.after_stop(f.fake, f.fifo);
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
    stats.report(state);
}

// A fleet of N hosts after one round with a fake that succeeds at once, parallelism 8; made
// once per N for the two benchmarks below.
orch::pruner::PrunerTask& fleet_after_a_round(int hosts) {
    struct Pruned {
        FakeFleet fake{FakeFleetSettings{"0", {}, false, {}}};
        std::unique_ptr<orch::bench::FleetTask> fleet;
    };
    static std::map<int, std::unique_ptr<Pruned>> made;
    auto& slot = made[hosts];
    if (!slot) {
        auto pruned = std::make_unique<Pruned>();
        pruned->fleet = orch::bench::make_fleet_task(
            orch::bench::fleet_config_json(orch::bench::fleet_host_names(hosts), kParallelism, 600),
            pruned->fake.ssh());
        pruned->fleet->task->tick();
        const auto s = status_of(*pruned->fleet->task);
        if (int_at(s, "successes_total") != hosts ||
            s.at("hosts").as_object().size() != static_cast<std::size_t>(hosts)) {
            throw std::runtime_error("the round did not prune every host");
        }
        slot = std::move(pruned);
    }
    return *slot->fleet->task;
}

// status(): the plugin's share of each GET /queue.
void BM_FleetStatus(benchmark::State& state) {
    try {
        const auto& task = fleet_after_a_round(static_cast<int>(state.range(0)));
        std::size_t bytes = 0;
        for (auto _ : state) {
            const std::string text = task.status();
            bytes = text.size();
            benchmark::DoNotOptimize(text.data());
        }
        state.counters["bytes"] = static_cast<double>(bytes);
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

// The host's share: host_stub's render_queue_json over that status text (sanitise, parse,
// serialise the whole response), without HTTP.
void BM_FleetQueueRender(benchmark::State& state) {
    try {
        orch::host::PluginSnapshot plugin;
        plugin.id = "build_cache_pruner";
        plugin.queue_key = "build_cache_prune";
        plugin.state = orch::host::PluginState::kRunning;
        plugin.status_text = fleet_after_a_round(static_cast<int>(state.range(0))).status();
        const std::vector<orch::host::PluginSnapshot> plugins{plugin};
        std::size_t bytes = 0;
        for (auto _ : state) {
            const std::string body = orch::host::render_queue_json(plugins);
            bytes = body.size();
            benchmark::DoNotOptimize(body.data());
        }
        state.counters["bytes"] = static_cast<double>(bytes);
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

}  // namespace

// Each iteration runs the three variants (about 20 s); 5 iterations give the medians.
BENCHMARK(BM_FleetRound)
    ->ArgName("hang_first")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(5)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FleetStop_Schedule)->Iterations(20)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FleetStop_HostTick)->Iterations(20)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FleetStopFloor_KillGroupsAndWaitpid)
    ->Iterations(20)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FleetStatus)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FleetQueueRender)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);
