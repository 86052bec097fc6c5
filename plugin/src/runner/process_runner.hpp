#pragma once
// Runs one command to completion with Poco::Process: both pipes drained with poll() (no
// deadlock), output kept within a bound, a deadline, cancellation, and the whole process group
// killed and the child reaped on every path.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runner/cancel_token.hpp"

namespace orch::pruner {

struct CapturedStream {
    std::string head;            // the first bytes, up to the cap
    std::string tail;            // the last bytes, up to the cap (empty unless truncated)
    std::uint64_t total_bytes = 0;
    bool truncated() const noexcept { return head.size() + tail.size() < total_bytes; }
    // head, and when truncated a marker and the tail.
    std::string text() const;
};

enum class RunOutcome {
    kExited,        // exit_code is set
    kSignalled,     // killed by a signal from outside
    kTimedOut,      // the deadline passed: the process group was killed
    kCancelled,     // the cancel token fired: the process group was killed
    kSpawnFailed,   // nothing ran: error says why (e.g. executable not found on PATH)
};

struct RunResult {
    RunOutcome outcome = RunOutcome::kSpawnFailed;
    int exit_code = -1;
    std::string error;
    CapturedStream out;
    CapturedStream err;
    std::chrono::milliseconds duration{0};
};

struct RunLimits {
    std::chrono::milliseconds timeout{600'000};
    std::size_t keep_bytes_per_stream = 64 * 1024;  // head and tail each
};

// Finds `name` on PATH (or checks it when it contains '/'); nullopt when not an executable file.
std::optional<std::string> find_executable(const std::string& name, const std::string& path_env);

// Runs argv (argv[0] looked up on PATH) in a new session/process group, with stdin at EOF.
// Never throws.
RunResult run_process(const std::vector<std::string>& argv, const RunLimits& limits,
                      const CancelToken& cancel);

const char* to_string(RunOutcome outcome);

}  // namespace orch::pruner
