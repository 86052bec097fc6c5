#pragma once
// Runs one command to completion with Poco::Process: both pipes drained with poll() (no
// deadlock), output kept within a bound, a deadline, cancellation, and the whole process group
// killed and the child reaped on every path.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "runner/cancel_token.hpp"
#include "runner/executable_lookup.hpp"
#include "runner/stream_capture.hpp"

namespace orch::pruner {

enum class RunOutcome {
    kExited,       // exit_code is set
    kSignalled,    // killed by a signal from outside: signal is set
    kTimedOut,     // the deadline passed: the process group was killed
    kCancelled,    // the cancel token fired: the process group was killed
    kSpawnFailed,  // nothing ran (or the runner itself failed): error says why
};

struct RunResult {
    RunOutcome outcome = RunOutcome::kSpawnFailed;
    int exit_code = -1;  // kExited only
    int signal = 0;      // kSignalled: the signal; kTimedOut/kCancelled: SIGKILL (ours)
    std::string error;   // empty for kExited/kSignalled
    CapturedStream out;
    CapturedStream err;
    std::chrono::milliseconds duration{0};
};

struct RunLimits {
    std::chrono::milliseconds timeout{600'000};
    std::size_t keep_bytes_per_stream = std::size_t{64} * 1024;  // head and tail each
    // After the child exits, how long to keep reading pipes that something it started (and that
    // inherited them) still holds open, before the group is killed and the pipes closed.
    std::chrono::milliseconds drain_grace{150};
};

// Runs argv (argv[0] looked up in `search_path`, the PATH value, with find_executable) with
// stdin at EOF, through
// util-linux setsid, so the child leads a new session and process group (pgid == its pid) and
// everything it starts can be killed with it. On every path the group is SIGKILLed once the
// child is done (or the deadline passes, or `cancel` fires) and the child is reaped.
// Reentrant (no shared state). Never throws.
RunResult run_process(const std::vector<std::string>& argv, const std::string& search_path,
                      const RunLimits& limits, const CancelToken& cancel) noexcept;

// "exited", "signalled", "timed_out", "cancelled", "spawn_failed".
const char* to_string(RunOutcome outcome) noexcept;

}  // namespace orch::pruner
