#pragma once
// What one finished ssh run means for the pruner, and whether operators hear about it. Pure.
#include <cstdint>
#include <optional>
#include <string>

#include "runner/process_runner.hpp"

namespace orch::pruner {

struct PruneOutcome {
    bool success = false;
    std::optional<std::uint64_t> reclaimed_bytes;  // success only; unknown when docker printed none
    std::string error;                             // failure only: what an operator reads first
    std::string note;                              // success only: e.g. why the size is unknown
};

// Maps the runner's result to success/failure. Non-zero exit codes carry the first 200
// characters of stderr; ssh's own failures (255) and a missing remote docker (127) say so.
PruneOutcome evaluate_prune_run(const RunResult& run, long long timeout_s);

// Operators are notified when a threshold is set (> 0) and at least that many decimal gigabytes
// (10^9 bytes, the unit docker prints) were reclaimed.
bool should_notify(std::optional<std::uint64_t> reclaimed_bytes, double notify_min_gb);

std::string notification_text(std::uint64_t reclaimed_bytes, const std::string& ssh_target,
                              const std::string& until);

}  // namespace orch::pruner
