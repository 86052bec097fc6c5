#include "core/fleet_aggregate.hpp"

#include <algorithm>
#include <vector>

#include "core/one_line_text.hpp"
#include "core/reclaimed_parser.hpp"
#include "core/saturating.hpp"

namespace orch::pruner {

namespace {

constexpr std::size_t kMaxKeyBytes = 200;
constexpr std::string_view kBroom = "\xF0\x9F\xA7\xB9";  // U+1F9F9, as the single-host text

std::string shown_key(std::string_view key) {
    return cut_to_bytes(sanitize_one_line(key), kMaxKeyBytes);
}

// Joins `parts` after `head` with `separator` while they fit in max_bytes together with the
// "<separator>and <m> more" that counts the items left out. `parts` may hold only the first of
// `total` items (the callers stop making parts once they alone pass the budget, so a status of
// 4096 failing hosts does not format them all); the first part always fits the budgets here.
std::string join_bounded(std::string head, const std::vector<std::string>& parts, std::size_t total,
                         std::string_view separator, std::size_t max_bytes) {
    const auto more = [&](std::size_t left) {
        return std::string(separator) + "and " + std::to_string(left) + " more";
    };
    std::string text = std::move(head);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::size_t left_after = total - i - 1;
        const std::size_t needed = (i == 0 ? 0 : separator.size()) + parts[i].size() +
                                   (left_after > 0 ? more(left_after).size() : 0);
        if (text.size() + needed > max_bytes) {
            text += more(total - i).substr(i == 0 ? separator.size() : 0);
            return text;
        }
        if (i > 0) {
            text += separator;
        }
        text += parts[i];
    }
    if (parts.size() < total) {
        text += more(total - parts.size()).substr(parts.empty() ? separator.size() : 0);
    }
    return text;
}

}  // namespace

FleetAggregate aggregate_fleet(std::span<const HostOutcome> hosts) {
    FleetAggregate total;
    total.hosts_total = hosts.size();
    std::vector<const HostOutcome*> failing;
    for (const HostOutcome& host : hosts) {
        if (host.last_run_ts && (!total.last_run_ts || *host.last_run_ts > *total.last_run_ts)) {
            total.last_run_ts = host.last_run_ts;
        }
        if (host.last_reclaimed_bytes) {
            total.last_reclaimed_bytes =
                saturating_add(total.last_reclaimed_bytes.value_or(0), *host.last_reclaimed_bytes);
        }
        if (host.last_error) {
            failing.push_back(&host);
        }
        total.in_flight_total += host.in_flight ? 1 : 0;
    }
    total.hosts_failing = failing.size();
    if (failing.empty()) {
        return total;
    }
    if (hosts.size() == 1) {
        total.last_error = *failing.front()->last_error;  // a fleet of one reads as today
        return total;
    }
    std::vector<std::string> parts;
    std::size_t part_bytes = 0;
    for (const HostOutcome* host : failing) {
        if (part_bytes > kMaxFleetErrorBytes) {
            break;  // cannot be shown: only counted
        }
        parts.push_back(
            shown_key(host->key) + ": " +
            cut_to_bytes(sanitize_one_line(*host->last_error), kMaxHostErrorInSummaryBytes));
        part_bytes += parts.back().size();
    }
    total.last_error = join_bounded(
        std::to_string(failing.size()) + " of " + std::to_string(hosts.size()) + " hosts failed: ",
        parts, failing.size(), "; ", kMaxFleetErrorBytes);
    return total;
}

std::optional<std::string> round_notification_text(std::span<const RoundReclaim> over_threshold,
                                                   const std::string& until) {
    if (over_threshold.empty()) {
        return std::nullopt;
    }
    const std::string prefix = std::string(kBroom) + " build-cache-pruner: reclaimed ";
    const std::string suffix = " (until=" + sanitize_one_line(until) + ")";
    if (over_threshold.size() == 1) {
        return prefix + human_size(over_threshold.front().reclaimed_bytes) +
               " of docker build cache on " + shown_key(over_threshold.front().key) + suffix;
    }
    std::vector<std::size_t> order(over_threshold.size());
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
        sum = saturating_add(sum, over_threshold[i].reclaimed_bytes);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return over_threshold[a].reclaimed_bytes > over_threshold[b].reclaimed_bytes;
    });
    std::vector<std::string> parts;
    std::size_t part_bytes = 0;
    for (const std::size_t i : order) {
        if (part_bytes > kMaxRoundNotificationBytes) {
            break;  // cannot be shown: only counted
        }
        parts.push_back(shown_key(over_threshold[i].key) + " " +
                        human_size(over_threshold[i].reclaimed_bytes));
        part_bytes += parts.back().size();
    }
    return join_bounded(prefix + human_size(sum) + " of docker build cache on " +
                            std::to_string(over_threshold.size()) + " hosts" + suffix + ": ",
                        parts, over_threshold.size(), ", ", kMaxRoundNotificationBytes);
}

}  // namespace orch::pruner
