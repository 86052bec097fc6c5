#pragma once
// What the task benchmarks share: fake ssh scripts (a prune that succeeds with a real summary,
// one that hangs with a grandchild), the argv the task would run, a clock that makes every tick
// due, and a PrunerTask wired to them. Helpers throw on setup failures; benchmarks turn that into
// SkipWithError.
#include <spawn.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"
#include "task/clock.hpp"
#include "task/pruner_task.hpp"

namespace orch::bench {

// The captured stdout of `docker builder prune -af` (tests/core/fixtures/legacy_prune_all.txt).
std::string real_prune_output();
// Bytes its summary line reports.
std::uint64_t real_prune_reclaimed_bytes();

// A fake ssh that prints the real prune output on stdout and exits 0.
std::filesystem::path write_summary_ssh(const orch::test::TempDir& dir);

// A fake ssh that starts `sleep 60` in the background, writes "<its pid> <sleep pid>" into the
// FIFO `started` in `dir`, then waits: a prune in flight with a grandchild.
std::filesystem::path write_hanging_ssh(const orch::test::TempDir& dir);
// Reads the pids the hanging fake wrote; throws when it does not start within 10 s.
std::pair<pid_t, pid_t> wait_for_hanging_ssh(const orch::test::TempDir& dir);

// The argv PrunerTask runs for the bench config, with argv[0] replaced by `ssh`.
std::vector<std::string> prune_argv(const std::filesystem::path& ssh);

// Steady time that jumps forward by one interval on request, so each tick() is due.
class SteppingClock final : public pruner::Clock {
  public:
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::now() + std::chrono::hours(offset_h_.load());
    }
    std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::now() + std::chrono::hours(offset_h_.load());
    }
    void step() { ++offset_h_; }  // the bench config's interval is one hour

  private:
    std::atomic<long long> offset_h_{0};
};

struct BenchTask {
    orch::test::RecordingLogger logger;
    orch::test::RecordingNotifier notifier;
    std::shared_ptr<SteppingClock> clock = std::make_shared<SteppingClock>();
    std::unique_ptr<pruner::PrunerTask> task;
};

// A task with a target (deploy@build-host), interval 1 h, the reference's 600 s timeout, and
// `ssh` as its ssh executable.
std::unique_ptr<BenchTask> make_bench_task(const std::filesystem::path& ssh);

// Whether `pid` is gone within `timeout` (zombies count as gone).
bool gone_within(pid_t pid, std::chrono::milliseconds timeout);

// posix_spawn's file actions, destroyed with the object.
class SpawnFileActions {
  public:
    SpawnFileActions() { posix_spawn_file_actions_init(&actions_); }
    ~SpawnFileActions() { posix_spawn_file_actions_destroy(&actions_); }
    SpawnFileActions(const SpawnFileActions&) = delete;
    SpawnFileActions& operator=(const SpawnFileActions&) = delete;
    posix_spawn_file_actions_t* get() noexcept { return &actions_; }

  private:
    posix_spawn_file_actions_t actions_;
};

// posix_spawn of argv (argv[0] a path) in this process's environment, with `actions` (null:
// every descriptor inherited) and the attribute `flags` (e.g. POSIX_SPAWN_SETSID). Returns the
// child's pid; throws std::system_error naming argv[0] when it cannot be spawned.
pid_t spawn_child(const std::vector<std::string>& argv, SpawnFileActions* actions = nullptr,
                  short flags = 0);

}  // namespace orch::bench
