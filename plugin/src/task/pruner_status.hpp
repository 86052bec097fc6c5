#pragma once
// The task's observable state: one snapshot, copied out under a lock and serialised outside it.
// A fleet (issue 11) keeps one HostStatus per configured docker host; the top level of the
// status block is their summary (fleet_status.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "task/duration_histogram.hpp"

namespace orch::pruner {

enum class TaskState {
    kIdle,      // created, not started (ticks may still be driven by the host)
    kRunning,   // the schedule is waiting for the next due host
    kPruning,   // a prune is in flight (shown, never stored: derived from the hosts)
    kStopped,   // stop() was called
    kDisabled,  // kill-switch off: never starts, ticks do nothing
};

const char* to_string(TaskState state);

// One docker host's progress: what today's single-host block shows for it.
struct HostStatus {
    std::string key;  // FleetHost::key: the `hosts` block's key
    std::optional<std::string> ssh_target;
    std::optional<std::string> command;       // the exact argv, shell-quoted, when valid
    std::optional<std::string> config_error;  // an invalid entry: ssh is never run

    bool in_flight = false;
    std::optional<double> in_flight_since_ts;
    std::optional<double> last_run_ts;  // last attempt, successful or not (unix seconds)
    std::optional<double> last_success_ts;
    std::optional<double> next_run_ts;  // null while a pass runs: due interval_s after it ends
    std::optional<long long> last_duration_ms;
    std::optional<int> last_exit_code;
    std::optional<std::uint64_t> last_reclaimed_bytes;
    std::optional<std::string> last_reclaimed;        // the original's label: "1.12 GB" (GiB)
    std::optional<std::string> last_reclaimed_human;  // docker's own form: "1.2GB"
    std::optional<std::string> last_error;
    std::optional<std::string> last_note;  // non-errors worth seeing, e.g. no summary line
    std::uint64_t runs_total = 0;          // prune attempts that ran ssh
    std::uint64_t successes_total = 0;
    std::uint64_t failures_total = 0;         // every failed attempt, timeouts_total included
    std::uint64_t timeouts_total = 0;         // failures where ssh hit timeout_s and was killed
    std::uint64_t noop_ticks_total = 0;       // due ticks with no ssh target configured
    std::uint64_t reclaimed_bytes_total = 0;  // saturates at 2^64-1
    // Durations of the runs that ran ssh, for build_cache_prune_run_duration_seconds (metrics
    // only: not in the status JSON).
    DurationHistogram run_durations;

    // Issue 10: the space probe and its budget (space_policy.hpp). Probe values are those of the
    // last successful probe; last_probe_ts/last_probe_error are of the last attempt.
    std::optional<std::string> docker_root_dir;
    std::optional<std::uint64_t> disk_free_bytes;
    std::optional<std::uint64_t> disk_size_bytes;
    std::optional<std::uint64_t> build_cache_bytes;
    std::optional<std::uint64_t> build_cache_reclaimable_bytes;
    std::optional<double> last_probe_ts;
    std::optional<std::string> last_probe_error;
    std::optional<std::uint64_t> min_free_bytes;  // resolved (from % too) at the last probe
    std::optional<std::uint64_t> max_cache_bytes;
    std::uint64_t reserved_bytes = 0;
    std::optional<std::string> last_trigger;  // "schedule", "pressure" or "budget"
    std::uint64_t pressure_prunes_total = 0;
    bool pressure_unresolved = false;
    std::optional<std::uint64_t> would_reclaim_bytes;  // dry run: the last preview
    std::optional<std::uint64_t> would_remove_records;
};

struct PrunerStatus {
    // Configuration in force (reference keys first).
    bool enabled = true;
    long long interval_s = 0;
    std::string until;             // normalised Go duration sent to docker
    std::string until_configured;  // as the operator wrote it
    bool all = false;
    long long timeout_s = 0;
    double notify_min_gb = 0.0;
    std::vector<std::string> config_warnings;
    std::optional<std::string> config_error;  // the task's own (kill switch, host list)
    long long check_interval_s = 0;
    bool dry_run = false;
    long long parallelism = 0;
    long long stagger_s = 0;

    TaskState state = TaskState::kIdle;  // never kPruning: see fleet_status.hpp
    // Messages handed to the host's notifier (INotifier::notify returned); the host delivers
    // them asynchronously, so delivery (sent/failed) is in the host's /queue host.notifier.
    std::uint64_t notifications_total = 0;
    std::optional<std::string> last_notify_error;  // the hand-over failed (notify threw)

    // One per configured host, in list order. Without any host (none configured, or the list
    // refused whole) there is one unlisted entry that records the no-op or the error, so the
    // top level reads as the single-host task's did; `listed` is false then.
    std::vector<HostStatus> hosts;
    bool listed = true;
};

}  // namespace orch::pruner
