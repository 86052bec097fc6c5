#include "runner/process_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <exception>
#include <optional>
#include <system_error>

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include "core/text.hpp"
#include "runner/child_group.hpp"
#include "runner/child_signals.hpp"
#include "runner/output_pipes.hpp"

namespace orch::pruner {
namespace {

using Clock = std::chrono::steady_clock;

// setsid must be the system's: a PATH that holds fake tools (tests, odd hosts) must not be
// able to replace the piece that makes the process group.
constexpr const char* kSetsidSearchPath = "/usr/bin:/bin";
// Without a pidfd, how often to look whether the child has exited while its pipes stay open.
constexpr std::chrono::milliseconds kExitCheckTick{10};
// Longer timeouts are treated as this, so a deadline never overflows the clock.
constexpr std::chrono::milliseconds kLongestTimeout = std::chrono::hours(24 * 365);

// Poco's pipes are plain pipe(): make ours close-on-exec so a process another thread spawns
// cannot inherit them (the child gets its ends through dup2, which clears the flag).
void make_cloexec(const Poco::Pipe& pipe) {
    for (const int fd : {pipe.readHandle(), pipe.writeHandle()}) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags < 0 || ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
            throw std::system_error(errno, std::generic_category(), "fcntl(FD_CLOEXEC) on a pipe");
        }
    }
}

int poll_timeout_ms(Clock::time_point now, Clock::time_point until) {
    if (until <= now) {
        return 0;
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

enum class StopReason { kChildDone, kTimedOut, kCancelled };

// Reads both pipes until the child has exited and they are closed (or the post-exit grace
// period ran out), the deadline passes, or the token fires. Sleeps only in poll().
StopReason pump(ChildGroup& child, OutputPipes& pipes, const CancelToken& cancel,
                Clock::time_point deadline, std::chrono::milliseconds drain_grace) {
    std::optional<Clock::time_point> drain_until;  // set when the child's exit is seen
    for (;;) {
        if (!drain_until && child.has_exited()) {
            drain_until = Clock::now() + drain_grace;
        }
        if (drain_until && !pipes.any_open()) {
            return StopReason::kChildDone;
        }
        const auto now = Clock::now();
        // Once the child has exited, its own status wins over a late deadline or cancel.
        if (cancel.cancelled()) {
            return drain_until ? StopReason::kChildDone : StopReason::kCancelled;
        }
        if (now >= deadline) {
            return drain_until ? StopReason::kChildDone : StopReason::kTimedOut;
        }
        if (drain_until && now >= *drain_until) {
            return StopReason::kChildDone;  // something it started still holds the pipes
        }

        std::array<pollfd, 4> fds{};
        const nfds_t pipe_entries = pipes.fill_poll_entries(fds.data());
        nfds_t count = pipe_entries;
        fds[count++] = pollfd{cancel.fd(), POLLIN, 0};
        auto wake_at = drain_until ? std::min(deadline, *drain_until) : deadline;
        if (!drain_until) {
            if (child.exit_fd() >= 0) {
                fds[count++] = pollfd{child.exit_fd(), POLLIN, 0};
            } else {
                wake_at = std::min(wake_at, now + kExitCheckTick);
            }
        }
        if (::poll(fds.data(), count, poll_timeout_ms(now, wake_at)) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "poll on the child's pipes");
        }
        pipes.read_ready(fds.data(), pipe_entries);
    }
}

RunResult spawn_failed(std::string error) {
    RunResult result;
    result.outcome = RunOutcome::kSpawnFailed;
    result.error = std::move(error);
    return result;
}

RunResult finished(const std::string& name, StopReason reason,
                   const std::optional<ChildExit>& status, const RunLimits& limits) {
    RunResult result;
    switch (reason) {
        case StopReason::kTimedOut:
            result.outcome = RunOutcome::kTimedOut;
            result.signal = SIGKILL;
            result.error = "'" + name + "' timed out after " +
                           std::to_string(limits.timeout.count()) +
                           " ms; its process group was killed";
            return result;
        case StopReason::kCancelled:
            result.outcome = RunOutcome::kCancelled;
            result.signal = SIGKILL;
            result.error = "'" + name + "' was cancelled; its process group was killed";
            return result;
        case StopReason::kChildDone:
            break;
    }
    if (!status) {
        result.outcome = RunOutcome::kSpawnFailed;
        result.error = "'" + name + "' ended but its exit status was lost (reaped elsewhere?)";
    } else if (status->signalled) {
        result.outcome = RunOutcome::kSignalled;
        result.signal = status->signal;
        const char* abbrev = ::sigabbrev_np(status->signal);
        result.error =
            "'" + name + "' was killed by " +
            (abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(status->signal));
    } else {
        result.outcome = RunOutcome::kExited;
        result.exit_code = status->code;
    }
    return result;
}

RunResult run(const std::vector<std::string>& argv, const std::string& search_path,
              const RunLimits& limits, const CancelToken& cancel, Clock::time_point start) {
    if (argv.empty()) {
        return spawn_failed("nothing to run: the command line is empty");
    }
    const std::string& name = argv[0];
    if (cancel.cancelled()) {
        RunResult result;
        result.outcome = RunOutcome::kCancelled;
        result.error = "cancelled before '" + name + "' was started";
        return result;
    }
    const std::optional<std::string> executable = find_executable(name, search_path);
    if (!executable) {
        if (name.find('/') != std::string::npos) {
            return spawn_failed("cannot run '" + name + "': not an executable file");
        }
        return spawn_failed("cannot run '" + name + "': no executable named '" + name +
                            "' on PATH \"" + search_path + "\"");
    }
    const std::optional<std::string> setsid = find_executable("setsid", kSetsidSearchPath);
    if (!setsid) {
        return spawn_failed("cannot run '" + name + "': util-linux 'setsid' (needed to give " +
                            "it its own process group) is not in " + kSetsidSearchPath);
    }

    Poco::Pipe in_pipe;
    Poco::Pipe out_pipe;
    Poco::Pipe err_pipe;
    make_cloexec(in_pipe);
    make_cloexec(out_pipe);
    make_cloexec(err_pipe);
    // setsid(1) forks only when it already leads a group, which Poco's fresh child never does:
    // it calls setsid() and execs in place, so the pid we get is the new group's id.
    Poco::Process::Args args{"--", *executable};
    args.insert(args.end(), argv.begin() + 1, argv.end());
    std::optional<ChildGroup> child;  // from here on, its destructor kills and reaps
    try {
        const ChildSignalReset clean_signals;  // empty mask, default dispositions in the child
        child.emplace(
            Poco::Process::launch(*setsid, args, std::string(), &in_pipe, &out_pipe, &err_pipe));
    } catch (const Poco::Exception& e) {
        return spawn_failed("cannot run '" + *executable + "': " + e.displayText());
    }
    in_pipe.close(Poco::Pipe::CLOSE_WRITE);  // the child reads EOF at once

    OutputPipes pipes(out_pipe.readHandle(), err_pipe.readHandle(), limits.keep_bytes_per_stream);
    const StopReason reason =
        pump(*child, pipes, cancel, start + std::min(limits.timeout, kLongestTimeout),
             std::max(limits.drain_grace, std::chrono::milliseconds(0)));
    // Also after a normal exit: whatever it left running (holding our pipes or not) goes too.
    child->kill_group();
    pipes.drain_buffered();
    const std::optional<ChildExit> status = child->reap();

    RunResult result = finished(name, reason, status, limits);
    result.out = pipes.out();
    result.err = pipes.err();
    return result;
}

std::string failure_text(const std::vector<std::string>& argv, const std::string& what) {
    return "running '" + (argv.empty() ? std::string() : argv[0]) + "' failed: " + what;
}

}  // namespace

RunResult run_process(const std::vector<std::string>& argv, const std::string& search_path,
                      const RunLimits& limits, const CancelToken& cancel) noexcept {
    const auto start = Clock::now();
    RunResult result;
    try {
        result = run(argv, search_path, limits, cancel, start);
    } catch (const Poco::Exception& e) {
        result = spawn_failed(failure_text(argv, e.displayText()));
    } catch (const std::exception& e) {
        result = spawn_failed(failure_text(argv, e.what()));
    } catch (...) {
        result = spawn_failed(failure_text(argv, "unknown exception"));
    }
    result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return result;
}

const char* to_string(RunOutcome outcome) noexcept {
    return enum_name<RunOutcome::kSpawnFailed>(
        outcome, {"exited", "signalled", "timed_out", "cancelled", "spawn_failed"});
}

}  // namespace orch::pruner
