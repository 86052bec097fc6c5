#pragma once
// What the fleet benchmarks (issue 11) share: a directory holding the counting fake ssh
// (bench/fleet_fake_ssh.sh) and its settings, the fleet's manifest config, a PrunerTask built
// from it by the plugin's own factory, a FIFO read line by line, and the floor: a plain pool of
// threads that spawns the same jobs without the plugin. Helpers throw on setup failures.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"
#include "task/pruner_task.hpp"
#include "task_bench_support.hpp"

namespace orch::bench {

// "fleet-001" .. "fleet-<n>" (three digits at least, so names sort in list order).
std::vector<std::string> fleet_host_names(int n);
// The ssh target the plugin builds for a host name with the fleet's user.
std::string fleet_target(const std::string& host);

struct FakeFleetSettings {
    std::string sleep_s = "0.2";                // a normal host's prune
    std::vector<std::string> hang;              // ssh targets that hang until killed
    bool hang_all = false;                      // every host hangs
    std::optional<std::filesystem::path> fifo;  // hanging hosts report "<pid> <sleep pid>" here
};

// A directory with `ssh` (the fake) and its fake.conf, lock and counter files.
class FakeFleet {
  public:
    explicit FakeFleet(const FakeFleetSettings& settings);
    std::filesystem::path ssh() const { return dir_ / "ssh"; }
    const std::filesystem::path& dir() const { return dir_.path(); }

    // Empties the counter files (between runs; no fake may be running).
    void reset() const;
    // The counts the fakes saw at their start (each includes itself).
    std::vector<int> peaks() const;
    // "<target> <pid>" of every run since the last reset.
    std::vector<std::pair<std::string, pid_t>> ran() const;
    // The pids of the hanging fakes and their `sleep 300` since the last reset.
    std::vector<pid_t> hung_pids() const;

  private:
    orch::test::TempDir dir_;
};

// The manifest "config" object of the benchmark fleet, as JSON text: deploy_ssh_hosts, user
// "deploy", the given parallelism and timeout, interval 1 h, no space probe (min_free 0: one ssh
// per host, the 200 ms prune the issue describes).
std::string fleet_config_json(const std::vector<std::string>& hosts, int parallelism,
                              int timeout_s);

// The argv the plugin runs for each host of `config_json` (resolve_fleet + prune_units_for, as
// the task builds them), in list order, with argv[0] replaced by `ssh`.
std::vector<std::vector<std::string>> fleet_prune_argvs(const std::string& config_json,
                                                        const std::filesystem::path& ssh);

struct FleetTask {
    orch::test::RecordingLogger logger;
    orch::test::RecordingNotifier notifier;
    std::shared_ptr<SteppingClock> clock = std::make_shared<SteppingClock>();
    std::unique_ptr<pruner::PrunerTask> task;
};

// A task made by the plugin's factory (make_pruner_task: resolve_config + resolve_fleet) from
// `config_json` and an empty environment, with `ssh` as its ssh executable.
std::unique_ptr<FleetTask> make_fleet_task(const std::string& config_json,
                                           const std::filesystem::path& ssh);

// A FIFO held open (read and write, so it never reports EOF) and read line by line.
class FifoLines {
  public:
    explicit FifoLines(const std::filesystem::path& path);  // creates the FIFO
    ~FifoLines();
    FifoLines(const FifoLines&) = delete;
    FifoLines& operator=(const FifoLines&) = delete;
    // The next line; nullopt when none arrives before `timeout`.
    std::optional<std::string> next(std::chrono::milliseconds timeout);
    // Lines already written and not read yet (does not wait).
    std::vector<std::string> drain();

  private:
    int fd_ = -1;
    std::string buffer_;
};

// One job of the floor: argv (argv[0] a path), and the time after which its process group is
// SIGKILLed (the plugin's timeout).
struct FloorJob {
    std::vector<std::string> argv;
    std::chrono::milliseconds kill_after{std::chrono::hours(1)};
};

struct FloorResult {
    int killed = 0;             // jobs killed at their deadline
    double mean_exited_ms = 0;  // spawn to reaped, over the jobs that exited by themselves
};

// Runs the jobs on `threads` threads, each taking the next job in list order: posix_spawn into
// a new session, stdout and stderr on /dev/null, wait (pidfd + poll until the deadline), SIGKILL
// the group, waitpid. Throws on a spawn failure or on an exit status other than 0 of a job that
// was not killed.
FloorResult run_floor_pool(const std::vector<FloorJob>& jobs, int threads);

}  // namespace orch::bench
