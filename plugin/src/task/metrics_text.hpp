#pragma once
// The pruner's metrics as Prometheus exposition text 0.0.4 (orch/plugin_api/metrics.hpp), from
// plain counters. Pure: the task copies a PruneMetrics out under its lock and renders outside it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "task/duration_histogram.hpp"

namespace orch::pruner {

// Longest `host` (and `until`) label value, in characters: the ssh target comes from operators
// and environments, and a label value is kept per series by every Prometheus.
inline constexpr std::size_t kMaxLabelChars = 128;

struct PruneMetrics {
    std::string host;  // the ssh target as configured (raw; sanitised when rendered)
    std::uint64_t runs_success = 0;
    std::uint64_t runs_failure = 0;
    std::uint64_t runs_timeout = 0;
    std::uint64_t runs_noop = 0;  // due ticks with nothing to run (no target)
    std::uint64_t reclaimed_bytes_total = 0;
    DurationHistogram duration;
    std::optional<double> last_run_ts;  // unix seconds
    std::optional<double> last_success_ts;
    bool in_flight = false;
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
