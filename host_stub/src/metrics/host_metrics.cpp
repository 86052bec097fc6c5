#include "metrics/host_metrics.hpp"

#include <string_view>

#include "metrics/exposition_text.hpp"

namespace orch::host::metrics {
namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help) += '\n';
    out.append("# TYPE ").append(name).append(" ").append(type) += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
    out.append(name);
    if (!labels.empty()) {
        out.append("{").append(labels) += '}';
    }
    out.append(" ").append(std::to_string(value)) += '\n';
}

std::string label(std::string_view name, std::string_view raw_value) {
    return std::string(name) + "=\"" + escape_label_value(raw_value) + "\"";
}

}  // namespace

std::string render_host_metrics(const HostMetrics& host) {
    std::string out;
    out.reserve(4096);
    family(out, "orch_host_build_info", "gauge", "The host's version and plugin API version.");
    sample(out, "orch_host_build_info",
           label("version", host.version) + "," + label("api_version", host.api_version), 1);

    family(out, "orch_host_plugins", "gauge", "Plugins by lifecycle state.");
    for (std::size_t i = 0; i < kPluginStateNames.size(); ++i) {
        sample(out, "orch_host_plugins", label("state", kPluginStateNames[i]),
               host.plugins_by_state[i]);
    }

    if (const auto& n = host.notifier) {
        const struct {
            std::string_view name, type, help;
            std::uint64_t value;
        } notifier_rows[] = {
            {"orch_host_notifications_sent_total", "counter",
             "Notifications delivered to Telegram.", n->sent},
            {"orch_host_notifications_failed_total", "counter",
             "Notifications attempted and not accepted by Telegram.", n->failed},
            {"orch_host_notifications_dropped_total", "counter",
             "Notifications never attempted: queue full, after stop, or past the deadline.",
             n->dropped},
            {"orch_host_notifications_queued", "gauge", "Notifications waiting for delivery.",
             n->queued},
        };
        for (const auto& row : notifier_rows) {
            family(out, row.name, row.type, row.help);
            sample(out, row.name, {}, row.value);
        }
    }

    family(out, "orch_host_http_requests_total", "counter",
           "HTTP requests answered, by route and status code.");
    for (std::size_t r = 0; r < kRouteLabels.size(); ++r) {
        for (std::size_t c = 0; c < kCodeSlots; ++c) {
            const std::string code =
                c < kCountedCodes.size() ? std::to_string(kCountedCodes[c]) : "other";
            sample(out, "orch_host_http_requests_total",
                   label("route", kRouteLabels[r]) + "," + label("code", code),
                   host.http.by_route_code[r][c]);
        }
    }

    family(out, "orch_host_plugin_metric_lines_dropped_total", "counter",
           "Lines of a plugin's metrics dropped: malformed, over a limit, or a name it may not "
           "use.");
    for (const auto& [id, totals] : host.plugin_totals) {
        sample(out, "orch_host_plugin_metric_lines_dropped_total", label("plugin", id),
               totals.lines_dropped);
    }
    family(out, "orch_host_plugin_metrics_failures_total", "counter",
           "Scrapes in which a plugin's metrics call threw.");
    for (const auto& [id, totals] : host.plugin_totals) {
        sample(out, "orch_host_plugin_metrics_failures_total", label("plugin", id),
               totals.scrape_failures);
    }
    return out;
}

std::string assemble_metrics_page(HostMetrics host, std::span<const PluginExposition> plugins,
                                  PluginMetricsLedger& ledger, const ExpositionLimits& limits) {
    TakenNames taken;
    std::string plugin_text;
    for (const PluginExposition& p : plugins) {
        if (!p.text && !p.failed) {
            continue;  // offers no metrics: nothing to count either
        }
        PluginMetricsTotals& totals = ledger[p.plugin_id];
        if (p.failed) {
            ++totals.scrape_failures;
        }
        if (p.text) {
            ValidatedExposition v = validate_exposition(*p.text, taken, limits);
            totals.lines_dropped += v.lines_dropped;
            plugin_text += v.text;
        }
    }
    host.plugin_totals = ledger;
    return render_host_metrics(host) + plugin_text;
}

}  // namespace orch::host::metrics
