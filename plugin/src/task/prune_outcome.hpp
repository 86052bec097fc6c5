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
// Every text in the outcome is valid UTF-8 (invalid bytes become U+FFFD, cut on characters).
PruneOutcome evaluate_prune_run(const RunResult& run, long long timeout_s);

// Operators are notified when a threshold is set (> 0) and at least that many GiB (1024^3
// bytes, as the original: reclaimed / 1024**3 >= notify_min_gb) were reclaimed.
bool should_notify(std::optional<std::uint64_t> reclaimed_bytes, double notify_min_gb);

// The original's label for a reclaimed size: bytes / 1024^3 with two decimals and " GB"
// (f"{bytes / 1024**3:.2f} GB"): 1'200'000'000 -> "1.12 GB", 0 -> "0.00 GB".
std::string reclaimed_gib_label(std::uint64_t reclaimed_bytes);

// `what` says which prune it was; empty: the age prune, "until=<until>".
std::string notification_text(std::uint64_t reclaimed_bytes, const std::string& ssh_target,
                              const std::string& until, const std::string& what = {});

}  // namespace orch::pruner
