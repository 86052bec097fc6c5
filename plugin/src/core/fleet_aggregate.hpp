#pragma once
// The fleet's top-level status keys from its hosts' statuses, and the one notification per
// round (issue 11). Pure.
//
// Design (for the integrator): the status keeps one HostOutcome per FleetHost (in list order),
// updated when a host's attempt ends; status() calls aggregate_fleet on a copy and writes the
// seed's top-level keys from it (last_reclaimed = human_size(last_reclaimed_bytes)), plus
// hosts_total, hosts_failing and in_flight_total. A single-host fleet's aggregate equals that
// host's own values, so the top level reads as it does today.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace orch::pruner {

// Longest top-level last_error (bytes), and longest part one host's error may take of it.
inline constexpr std::size_t kMaxFleetErrorBytes = 1000;
inline constexpr std::size_t kMaxHostErrorInSummaryBytes = 200;
// Longest round notification (bytes); Telegram's limit is 4096 characters.
inline constexpr std::size_t kMaxRoundNotificationBytes = 1500;

// What the aggregate needs from one host's status.
struct HostOutcome {
    std::string key;                    // FleetHost::key
    std::optional<double> last_run_ts;  // start of its last attempt (unix s); nullopt: never ran
    // The error of its last finished attempt; nullopt when that attempt succeeded or none has
    // finished. An invalid entry that came due counts as an attempt that failed.
    std::optional<std::string> last_error;
    // Reclaimed by its last successful prune (kept across later failures, as today's
    // last_reclaimed_bytes is); nullopt when none succeeded or docker printed no size.
    std::optional<std::uint64_t> last_reclaimed_bytes;
    bool in_flight = false;
};

struct FleetAggregate {
    std::optional<double> last_run_ts;  // latest last_run_ts of any host; nullopt: none ran
    // Saturating sum of the hosts' known last_reclaimed_bytes; nullopt when no host has one.
    std::optional<std::uint64_t> last_reclaimed_bytes;
    // nullopt when no host's last finished attempt failed (hosts that never ran, are running
    // their first attempt, or succeeded without a known size all count as not failing; a fleet
    // with no host has no error here: the task keeps today's no-op message for that case).
    // One failing host of a fleet of one: its error unchanged (today's text). Otherwise a line
    // "<k> of <n> hosts failed: <key>: <error>; <key>: <error>" in list order, sanitised to valid
    // one-line UTF-8, each host's error cut to kMaxHostErrorInSummaryBytes, and whole hosts
    // left out once the line would pass kMaxFleetErrorBytes, ending in "; and <m> more" (cuts
    // fall on UTF-8 character boundaries; the line never exceeds kMaxFleetErrorBytes).
    std::optional<std::string> last_error;
    std::size_t hosts_total = 0;
    std::size_t hosts_failing = 0;
    std::size_t in_flight_total = 0;
};

FleetAggregate aggregate_fleet(std::span<const HostOutcome> hosts);

// One host's reclaimed size in a round, for the notification.
struct RoundReclaim {
    std::string key;
    std::uint64_t reclaimed_bytes = 0;
};

// The round's single notification: the caller passes the hosts of the round whose prune
// reclaimed at least the threshold (the task's should_notify picks them). nullopt when there is
// none. One host: today's text, "🧹 build-cache-pruner: reclaimed 12GB of docker build cache on
// build-1 (until=24h)". Several: "🧹 build-cache-pruner: reclaimed 30GB of docker build cache on
// 3 hosts (until=24h): build-2 15GB, build-1 12GB, build-7 3GB", largest first (ties in the
// given order), total saturating; hosts that would pass kMaxRoundNotificationBytes are left
// out as ", and <m> more". Keys are sanitised to one-line UTF-8.
std::optional<std::string> round_notification_text(std::span<const RoundReclaim> over_threshold,
                                                   const std::string& until);

}  // namespace orch::pruner
