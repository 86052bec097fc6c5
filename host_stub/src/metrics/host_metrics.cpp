#include "metrics/host_metrics.hpp"

#include <array>
#include <charconv>
#include <initializer_list>
#include <string_view>

#include "metrics/exposition_text.hpp"
#include "text/utf8_text.hpp"

namespace orch::host::metrics {
namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help) += '\n';
    out.append("# TYPE ").append(name).append(" ").append(type) += '\n';
}

// The value as it is when it needs no escaping (the usual case: fixed names, versions, ids).
void append_label_value(std::string& out, std::string_view raw) {
    if (raw.find_first_of("\\\"\n") == std::string_view::npos && is_valid_utf8(raw)) {
        out.append(raw);
    } else {
        out.append(escape_label_value(raw));
    }
}

struct Label {
    std::string_view name;
    std::string_view raw_value;
    bool fixed = false;  // one of the host's own constant values (a state, route or code): plain
};

// Appended in place: a page has dozens of samples, and building each line from temporary
// strings was most of its allocations.
void sample(std::string& out, std::string_view name, std::initializer_list<Label> labels,
            std::uint64_t value) {
    out.append(name);
    if (labels.size() > 0) {
        char separator = '{';
        for (const Label& l : labels) {
            out += separator;
            out.append(l.name).append("=\"");
            if (l.fixed) {
                out.append(l.raw_value);
            } else {
                append_label_value(out, l.raw_value);
            }
            out += '"';
            separator = ',';
        }
        out += '}';
    }
    out += ' ';
    std::array<char, 24> digits{};
    const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    out.append(digits.data(), written.ptr) += '\n';
}

void append_host_metrics(std::string& out, const HostMetrics& host) {
    family(out, "orch_host_build_info", "gauge", "The host's version and plugin API version.");
    sample(out, "orch_host_build_info",
           {{"version", host.version}, {"api_version", host.api_version}}, 1);

    family(out, "orch_host_plugins", "gauge", "Plugins by lifecycle state.");
    for (std::size_t i = 0; i < kPluginStateNames.size(); ++i) {
        sample(out, "orch_host_plugins", {{"state", kPluginStateNames[i], true}},
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
            std::array<char, 12> digits{};
            std::string_view code = "other";
            if (c < kCountedCodes.size()) {
                const auto written =
                    std::to_chars(digits.data(), digits.data() + digits.size(), kCountedCodes[c]);
                code = std::string_view(digits.data(),
                                        static_cast<std::size_t>(written.ptr - digits.data()));
            }
            sample(out, "orch_host_http_requests_total",
                   {{"route", kRouteLabels[r], true}, {"code", code, true}},
                   host.http.by_route_code[r][c]);
        }
    }

    family(out, "orch_host_plugin_metric_lines_dropped_total", "counter",
           "Lines of a plugin's metrics dropped: malformed, over a limit, or a name it may not "
           "use.");
    for (const auto& [id, totals] : host.plugin_totals) {
        sample(out, "orch_host_plugin_metric_lines_dropped_total", {{"plugin", id}},
               totals.lines_dropped);
    }
    family(out, "orch_host_plugin_metrics_failures_total", "counter",
           "Scrapes in which a plugin's metrics call threw.");
    for (const auto& [id, totals] : host.plugin_totals) {
        sample(out, "orch_host_plugin_metrics_failures_total", {{"plugin", id}},
               totals.scrape_failures);
    }
}

}  // namespace

std::string render_host_metrics(const HostMetrics& host) {
    std::string out;
    out.reserve(4096);
    append_host_metrics(out, host);
    return out;
}

ValidatedPlugins validate_plugins(std::span<const PluginExposition> plugins,
                                  const ExpositionLimits& limits) {
    ValidatedPlugins out;
    TakenNames taken;
    for (const PluginExposition& p : plugins) {
        if (!p.text && !p.failed) {
            continue;  // offers no metrics: nothing to count either
        }
        ValidatedPlugins::Counted& counted = out.counted.emplace_back();
        counted.plugin_id = p.plugin_id;
        counted.failed = p.failed;
        if (p.text) {
            ValidatedExposition v = validate_exposition(*p.text, taken, limits);
            counted.lines_dropped = v.lines_dropped;
            out.text += v.text;
        }
    }
    return out;
}

void count_scrape(const ValidatedPlugins& plugins, PluginMetricsLedger& ledger) {
    for (const ValidatedPlugins::Counted& counted : plugins.counted) {
        PluginMetricsTotals& totals = ledger[counted.plugin_id];
        if (counted.failed) {
            ++totals.scrape_failures;
        }
        totals.lines_dropped += counted.lines_dropped;
    }
}

std::string metrics_page(const HostMetrics& host, const ValidatedPlugins& plugins) {
    std::string page;
    page.reserve(4096 + plugins.text.size());
    append_host_metrics(page, host);
    page += plugins.text;
    return page;
}

std::string assemble_metrics_page(HostMetrics host, std::span<const PluginExposition> plugins,
                                  PluginMetricsLedger& ledger, const ExpositionLimits& limits) {
    const ValidatedPlugins validated = validate_plugins(plugins, limits);
    count_scrape(validated, ledger);
    host.plugin_totals = ledger;
    return metrics_page(host, validated);
}

}  // namespace orch::host::metrics
