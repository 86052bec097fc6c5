#include "task/metrics_text.hpp"

#include <charconv>
#include <cmath>
#include <functional>

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

// Writes the exposition text: one family at a time, one sample per host in it.
class Page {
  public:
    explicit Page(const PruneMetrics& m) : m_(m) {
        labels_.reserve(m.hosts.size());
        for (const HostMetrics& h : m.hosts) {
            labels_.push_back("host=\"" + label_value(h.host, kMaxLabelChars) + "\"");
        }
        out_.reserve(1024 + 1600 * m.hosts.size());
    }

    void family(const char* name, const char* type, const char* help) {
        out_.append("# HELP ").append(name).append(" ").append(help) += '\n';
        out_.append("# TYPE ").append(name).append(" ").append(type) += '\n';
    }
    void sample(std::string_view name, std::string_view labels, std::string_view value) {
        out_.append(name);
        if (!labels.empty())
            out_.append("{").append(labels) += '}';
        out_.append(" ").append(value) += '\n';
    }
    // `write(host, its label)` for every host, in order.
    void each(const std::function<void(const HostMetrics&, const std::string&)>& write) {
        for (std::size_t i = 0; i < m_.hosts.size(); ++i) {
            write(m_.hosts[i], labels_[i]);
        }
    }
    // A gauge or counter family with one sample per host that has a value.
    void per_host(const char* name, const char* type, const char* help,
                  const std::function<std::optional<double>(const HostMetrics&)>& value) {
        family(name, type, help);
        each([&](const HostMetrics& h, const std::string& label) {
            if (const auto v = value(h)) {
                sample(name, label, number(*v));
            }
        });
    }

    std::string take() { return std::move(out_); }

  private:
    const PruneMetrics& m_;
    std::vector<std::string> labels_;
    std::string out_;
};

void write_runs(Page& page) {
    page.family("build_cache_prune_runs_total", "counter",
                "Prune runs by result: success, failure, timeout, or noop (due, nothing to run).");
    page.each([&](const HostMetrics& h, const std::string& label) {
        const std::pair<const char*, std::uint64_t> results[] = {{"success", h.runs_success},
                                                                 {"failure", h.runs_failure},
                                                                 {"timeout", h.runs_timeout},
                                                                 {"noop", h.runs_noop}};
        for (const auto& [result, count] : results) {
            page.sample("build_cache_prune_runs_total", label + ",result=\"" + result + "\"",
                        std::to_string(count));
        }
    });
    page.family("build_cache_prune_reclaimed_bytes_total", "counter",
                "Bytes reclaimed by prunes, as docker's reported estimate (its \"Total reclaimed "
                "space\" line), not a measurement of the disk.");
    page.each([&](const HostMetrics& h, const std::string& label) {
        page.sample("build_cache_prune_reclaimed_bytes_total", label,
                    std::to_string(h.reclaimed_bytes_total));
    });
}

void write_durations(Page& page) {
    constexpr std::string_view kName = "build_cache_prune_run_duration_seconds";
    page.family(kName.data(), "histogram", "Wall time of prune runs that ran ssh.");
    page.each([&](const HostMetrics& h, const std::string& label) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < DurationHistogram::kBoundsSeconds.size(); ++i) {
            cumulative += h.duration.in_bucket[i];
            page.sample("build_cache_prune_run_duration_seconds_bucket",
                        label + ",le=\"" + number(DurationHistogram::kBoundsSeconds[i]) + "\"",
                        std::to_string(cumulative));
        }
        page.sample("build_cache_prune_run_duration_seconds_bucket", label + ",le=\"+Inf\"",
                    std::to_string(h.duration.count));
        page.sample("build_cache_prune_run_duration_seconds_sum", label,
                    number(h.duration.sum_seconds));
        page.sample("build_cache_prune_run_duration_seconds_count", label,
                    std::to_string(h.duration.count));
    });
}

std::optional<double> as_value(const std::optional<std::uint64_t>& v) {
    return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

void write_gauges(Page& page) {
    page.per_host("build_cache_prune_last_run_timestamp_seconds", "gauge",
                  "Unix time of the last prune attempt, successful or not.",
                  [](const HostMetrics& h) { return h.last_run_ts; });
    page.per_host("build_cache_prune_last_success_timestamp_seconds", "gauge",
                  "Unix time of the last successful prune.",
                  [](const HostMetrics& h) { return h.last_success_ts; });
    page.per_host("build_cache_prune_in_flight", "gauge", "1 while a prune is running, else 0.",
                  [](const HostMetrics& h) { return std::optional(h.in_flight ? 1.0 : 0.0); });
    page.per_host("build_cache_prune_filesystem_avail_bytes", "gauge",
                  "Free bytes for unprivileged users on the filesystem of docker's root dir, at "
                  "the last successful space probe.",
                  [](const HostMetrics& h) { return as_value(h.filesystem_avail_bytes); });
    page.per_host("build_cache_prune_filesystem_size_bytes", "gauge",
                  "Size of the filesystem of docker's root dir, at the last successful probe.",
                  [](const HostMetrics& h) { return as_value(h.filesystem_size_bytes); });
    page.per_host("build_cache_prune_build_cache_bytes", "gauge",
                  "Build cache size docker reported at the last successful probe.",
                  [](const HostMetrics& h) { return as_value(h.build_cache_bytes); });
    page.per_host("build_cache_prune_pressure_prunes_total", "counter",
                  "Prunes started by disk pressure or the cache budget (not the schedule).",
                  [](const HostMetrics& h) {
                      return std::optional(static_cast<double>(h.pressure_prunes_total));
                  });
}

}  // namespace

std::string label_value(std::string_view raw, std::size_t max_chars) {
    return plugin_api::escape_label_value(utf8_prefix(to_valid_utf8(raw), max_chars));
}

std::string render_metrics_text(const PruneMetrics& m) {
    Page page(m);
    write_runs(page);
    write_durations(page);
    write_gauges(page);
    page.family("build_cache_prune_config_info", "gauge", "The configuration in force.");
    page.sample("build_cache_prune_config_info",
                "until=\"" + label_value(m.until, kMaxLabelChars) + "\",all=\"" +
                    (m.all ? "true" : "false") + "\",interval_s=\"" + std::to_string(m.interval_s) +
                    "\"",
                "1");
    return page.take();
}

}  // namespace orch::pruner
