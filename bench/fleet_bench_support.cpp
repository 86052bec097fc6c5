#include "fleet_bench_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/fleet.hpp"
#include "core/prune_target.hpp"
#include "support/event_wait.hpp"
#include "support/fd_wait.hpp"
#include "task/task_factory.hpp"

namespace orch::bench {

namespace {

constexpr const char* kUser = "deploy";

std::string shell_single_quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

std::vector<std::string> lines_of(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

// Waits for `pid` (pidfd + poll) until `deadline`; false when it is still running then.
bool exited_by(int pidfd, std::chrono::steady_clock::time_point deadline) {
    return orch::test::wait_readable(pidfd, deadline);
}

}  // namespace

std::vector<std::string> fleet_host_names(int n) {
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 1; i <= n; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "fleet-%03d", i);
        out.emplace_back(name);
    }
    return out;
}

std::string fleet_target(const std::string& host) {
    return std::string(kUser) + "@" + host;
}

FakeFleet::FakeFleet(const FakeFleetSettings& settings) {
    orch::test::write_script(dir_ / "ssh", orch::test::read_file(ORCH_BENCH_FLEET_FAKE_SSH));
    std::string hang = settings.hang_all ? "*" : "";
    for (const auto& target : settings.hang) {
        hang += (hang.empty() ? "" : " ") + target;
    }
    std::string conf = "sleep_s=" + shell_single_quoted(settings.sleep_s) +
                       "\nhang=" + shell_single_quoted(hang) + "\n";
    if (settings.fifo) {
        conf += "fifo=" + shell_single_quoted(settings.fifo->string()) + "\n";
    }
    orch::test::write_file(dir_ / "fake.conf", conf);
    reset();
}

void FakeFleet::reset() const {
    for (const char* name : {"live", "peaks", "ran", "hung"}) {
        orch::test::write_file(dir_ / name, "");
    }
}

std::vector<int> FakeFleet::peaks() const {
    std::vector<int> out;
    for (const auto& line : lines_of(dir_ / "peaks")) {
        out.push_back(std::stoi(line));
    }
    return out;
}

std::vector<std::pair<std::string, pid_t>> FakeFleet::ran() const {
    std::vector<std::pair<std::string, pid_t>> out;
    for (const auto& line : lines_of(dir_ / "ran")) {
        std::istringstream words(line);
        std::string target;
        pid_t pid = 0;
        if (!(words >> target >> pid)) {
            throw std::runtime_error("unreadable line in the fake's `ran` file: " + line);
        }
        out.emplace_back(target, pid);
    }
    return out;
}

std::vector<pid_t> FakeFleet::hung_pids() const {
    std::vector<pid_t> out;
    for (const auto& line : lines_of(dir_ / "hung")) {
        std::istringstream words(line);
        for (pid_t pid = 0; words >> pid;) {
            out.push_back(pid);
        }
    }
    return out;
}

std::string fleet_config_json(const std::vector<std::string>& hosts, int parallelism,
                              int timeout_s) {
    boost::json::array list;
    for (const auto& host : hosts) {
        list.emplace_back(host);
    }
    boost::json::object config;
    config["deploy_ssh_hosts"] = std::move(list);
    config["deploy_ssh_user"] = kUser;
    config["build_cache_prune_parallelism"] = parallelism;
    config["build_cache_prune_timeout_s"] = timeout_s;
    config["build_cache_prune_interval_s"] = 3600;  // SteppingClock's step: each tick is due
    config["build_cache_prune_min_free"] = "0";
    return boost::json::serialize(config);
}

std::vector<std::vector<std::string>> fleet_prune_argvs(const std::string& config_json,
                                                        const std::filesystem::path& ssh) {
    const auto manifest = boost::json::parse(config_json).as_object();
    const pruner::ResolvedConfig resolved = pruner::resolve_config(manifest, {});
    const pruner::Fleet fleet = pruner::resolve_fleet(manifest, {}, resolved.config);
    if (!fleet.error.empty()) {
        throw std::runtime_error("the bench fleet was refused: " + fleet.error);
    }
    std::vector<std::vector<std::string>> out;
    for (const auto& unit : pruner::prune_units_for(fleet, resolved.config).units) {
        if (!unit.target) {
            throw std::runtime_error("bench host " + unit.key +
                                     " is invalid: " + unit.error.value_or("?"));
        }
        auto argv = unit.target->argv;
        argv.front() = ssh.string();
        out.push_back(std::move(argv));
    }
    return out;
}

std::unique_ptr<FleetTask> make_fleet_task(const std::string& config_json,
                                           const std::filesystem::path& ssh) {
    auto fleet = std::make_unique<FleetTask>();
    plugin_api::TaskContext context;
    context.config_json = config_json;
    context.logger = &fleet->logger;
    context.notifier = &fleet->notifier;
    pruner::PrunerTaskOptions options;
    options.ssh_executable = ssh.string();
    options.clock = fleet->clock;
    fleet->task = pruner::make_pruner_task(context, {}, options);
    return fleet;
}

FifoLines::FifoLines(const std::filesystem::path& path) {
    orch::test::make_fifo(path);
    fd_ = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
        throw std::system_error(errno, std::generic_category(), "open fifo " + path.string());
    }
}

FifoLines::~FifoLines() {
    ::close(fd_);
}

std::optional<std::string> FifoLines::next(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            return line;
        }
        if (!orch::test::wait_readable(fd_, deadline)) {
            return std::nullopt;
        }
        char chunk[512];
        const ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "read fifo");
        }
    }
}

std::vector<std::string> FifoLines::drain() {
    std::vector<std::string> out;
    while (auto line = next(std::chrono::milliseconds(0))) {
        out.push_back(*line);
    }
    return out;
}

namespace {

// One job: returns true when it was killed at its deadline.
bool run_floor_job(const FloorJob& job) {
    SpawnFileActions actions;
    posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), STDOUT_FILENO, STDERR_FILENO);
    const pid_t pid = spawn_child(job.argv, &actions, POSIX_SPAWN_SETSID);
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        const int error = errno;
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        throw std::system_error(error, std::generic_category(), "pidfd_open");
    }
    // Until the leader exits or the deadline passes; an exited leader stays a zombie until the
    // waitpid below, so its pid (the group's id) cannot be reused before the group kill.
    const bool killed = !exited_by(pidfd, std::chrono::steady_clock::now() + job.kill_after);
    ::close(pidfd);
    // Like the plugin's runner: the whole group goes once the job is done or its time is up.
    ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!killed && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        throw std::runtime_error(job.argv[0] + " did not exit with status 0");
    }
    return killed;
}

}  // namespace

FloorResult run_floor_pool(const std::vector<FloorJob>& jobs, int threads) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex mutex;  // guards the fields below
    std::string failure;
    FloorResult result;
    double exited_ms = 0;
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&] {
                for (std::size_t i = next++; i < jobs.size() && !failed; i = next++) {
                    try {
                        const auto t0 = std::chrono::steady_clock::now();
                        const bool killed = run_floor_job(jobs[i]);
                        const double ms = std::chrono::duration<double, std::milli>(
                                              std::chrono::steady_clock::now() - t0)
                                              .count();
                        std::lock_guard lk(mutex);
                        result.killed += killed ? 1 : 0;
                        exited_ms += killed ? 0 : ms;
                    } catch (const std::exception& e) {
                        std::lock_guard lk(mutex);
                        failure = e.what();
                        failed = true;
                    }
                }
            });
        }
    }
    if (failed) {
        throw std::runtime_error("floor job failed: " + failure);
    }
    const auto exited = static_cast<double>(jobs.size()) - result.killed;
    result.mean_exited_ms = exited > 0 ? exited_ms / exited : 0;
    return result;
}

}  // namespace orch::bench
