#pragma once
// The pruner's metrics as Prometheus exposition text 0.0.4 (orch/plugin_api/metrics.hpp), from
// plain counters. Pure: the task copies a PruneMetrics out under its lock and renders outside it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "task/duration_histogram.hpp"

namespace orch::pruner {

// Longest `host` (and `until`) label value, in characters: the ssh target comes from operators
// and environments, and a label value is kept per series by every Prometheus.
inline constexpr std::size_t kMaxLabelChars = 128;

// One host's series (the `host` label).
struct HostMetrics {
    std::string host;  // the host's key as configured (raw; sanitised when rendered)
    std::uint64_t runs_success = 0;
    std::uint64_t runs_failure = 0;
    std::uint64_t runs_timeout = 0;
    std::uint64_t runs_noop = 0;  // due ticks with nothing to run (no target)
    std::uint64_t reclaimed_bytes_total = 0;
    DurationHistogram duration;
    std::optional<double> last_run_ts;  // unix seconds
    std::optional<double> last_success_ts;
    bool in_flight = false;
    // Issue 10's probe: the last successful probe's figures (absent until one succeeded).
    std::optional<std::uint64_t> filesystem_avail_bytes;
    std::optional<std::uint64_t> filesystem_size_bytes;
    std::optional<std::uint64_t> build_cache_bytes;
    std::uint64_t pressure_prunes_total = 0;
};

struct PruneMetrics {
    std::vector<HostMetrics> hosts;  // in list order; labels are distinct
    // Configuration in force, for build_cache_prune_config_info.
    std::string until;
    bool all = false;
    long long interval_s = 0;
};

std::string render_metrics_text(const PruneMetrics& metrics);

// `raw` as a label value: invalid UTF-8 replaced by U+FFFD (core/text.hpp), at most `max_chars`
// characters of that, then \\, " and newline escaped.
std::string label_value(std::string_view raw, std::size_t max_chars);

}  // namespace orch::pruner
