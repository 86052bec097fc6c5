#include "task/metrics_text.hpp"

#include <charconv>
#include <cmath>

#include "core/text.hpp"
#include "orch/plugin_api/metrics.hpp"

namespace orch::pruner {
namespace {

// Shortest text that parses back to `v`; Prometheus' spellings for the non-finite values.
std::string number(double v) {
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    // Whole numbers (timestamps, bucket bounds) as digits: "1700000000", not "1.7e+09".
    if (std::trunc(v) == v && std::fabs(v) < 1e15) {
        return std::to_string(static_cast<long long>(v));
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out.append("# HELP ").append(name).append(" ").append(help) += '\n';
    out.append("# TYPE ").append(name).append(" ").append(type) += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
    out.append(name);
    if (!labels.empty())
        out.append("{").append(labels) += '}';
    out.append(" ").append(value) += '\n';
}

}  // namespace

std::string label_value(std::string_view raw, std::size_t max_chars) {
    return plugin_api::escape_label_value(utf8_prefix(to_valid_utf8(raw), max_chars));
}

std::string render_metrics_text(const PruneMetrics& m) {
    const std::string host = "host=\"" + label_value(m.host, kMaxLabelChars) + "\"";
    std::string out;
    out.reserve(3072);

    family(out, "build_cache_prune_runs_total", "counter",
           "Prune runs by result: success, failure, timeout, or noop (due, nothing to run).");
    const std::pair<const char*, std::uint64_t> results[] = {{"success", m.runs_success},
                                                             {"failure", m.runs_failure},
                                                             {"timeout", m.runs_timeout},
                                                             {"noop", m.runs_noop}};
    for (const auto& [result, count] : results) {
        sample(out, "build_cache_prune_runs_total", host + ",result=\"" + result + "\"",
               std::to_string(count));
    }

    family(out, "build_cache_prune_reclaimed_bytes_total", "counter",
           "Bytes reclaimed by prunes, as docker's reported estimate (its \"Total reclaimed "
           "space\" line), not a measurement of the disk.");
    sample(out, "build_cache_prune_reclaimed_bytes_total", host,
           std::to_string(m.reclaimed_bytes_total));

    family(out, "build_cache_prune_run_duration_seconds", "histogram",
           "Wall time of prune runs that ran ssh.");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < DurationHistogram::kBoundsSeconds.size(); ++i) {
        cumulative += m.duration.in_bucket[i];
        sample(out, "build_cache_prune_run_duration_seconds_bucket",
               host + ",le=\"" + number(DurationHistogram::kBoundsSeconds[i]) + "\"",
               std::to_string(cumulative));
    }
    sample(out, "build_cache_prune_run_duration_seconds_bucket", host + ",le=\"+Inf\"",
           std::to_string(m.duration.count));
    sample(out, "build_cache_prune_run_duration_seconds_sum", host, number(m.duration.sum_seconds));
    sample(out, "build_cache_prune_run_duration_seconds_count", host,
           std::to_string(m.duration.count));

    family(out, "build_cache_prune_last_run_timestamp_seconds", "gauge",
           "Unix time of the last prune attempt, successful or not.");
    if (m.last_run_ts) {
        sample(out, "build_cache_prune_last_run_timestamp_seconds", host, number(*m.last_run_ts));
    }
    family(out, "build_cache_prune_last_success_timestamp_seconds", "gauge",
           "Unix time of the last successful prune.");
    if (m.last_success_ts) {
        sample(out, "build_cache_prune_last_success_timestamp_seconds", host,
               number(*m.last_success_ts));
    }

    family(out, "build_cache_prune_in_flight", "gauge", "1 while a prune is running, else 0.");
    sample(out, "build_cache_prune_in_flight", host, m.in_flight ? "1" : "0");

    family(out, "build_cache_prune_config_info", "gauge", "The configuration in force.");
    sample(out, "build_cache_prune_config_info",
           "until=\"" + label_value(m.until, kMaxLabelChars) + "\",all=\"" +
               (m.all ? "true" : "false") + "\",interval_s=\"" + std::to_string(m.interval_s) +
               "\"",
           "1");
    return out;
}

}  // namespace orch::pruner
