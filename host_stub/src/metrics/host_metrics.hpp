#pragma once
// The host's own metrics (prefix orch_host_) from plain structs, and the whole /metrics page:
// host metrics first, then each plugin's validated text. Pure: the caller gathers the inputs
// (registry snapshot, notifier counters, request counters) and keeps the per-plugin totals.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lifespan/plugin_snapshot.hpp"
#include "metrics/exposition_validator.hpp"
#include "metrics/http_request_counters.hpp"

namespace orch::host::metrics {

inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

struct NotifierMetrics {
    std::uint64_t sent = 0;
    std::uint64_t failed = 0;
    std::uint64_t dropped = 0;
    std::uint64_t queued = 0;
};

// What the host keeps per plugin across scrapes (counters must not go down between scrapes).
struct PluginMetricsTotals {
    std::uint64_t lines_dropped = 0;
    std::uint64_t scrape_failures = 0;  // metrics_text() threw
};
using PluginMetricsLedger = std::map<std::string, PluginMetricsTotals, std::less<>>;

struct HostMetrics {
    std::string version;      // the host's build version
    std::string api_version;  // "1.1"
    std::array<std::uint64_t, kPluginStateNames.size()> plugins_by_state{};  // by PluginState
    std::optional<NotifierMetrics> notifier;  // none when no notifier is configured
    HttpRequestCounts http;
    PluginMetricsLedger plugin_totals;  // keyed by plugin id
};

// The host's families, each with HELP and TYPE, every label value escaped.
std::string render_host_metrics(const HostMetrics& host);

// One plugin's contribution to a scrape.
struct PluginExposition {
    std::string plugin_id;
    std::optional<std::string> text;  // nullopt: offers no metrics, or the call failed
    bool failed = false;              // metrics_text() (or its accessor) threw

    bool operator==(const PluginExposition&) const = default;
};

// The plugins' part of a page: what each one's scrape adds to the ledger, and their kept lines.
struct ValidatedPlugins {
    struct Counted {
        std::string plugin_id;
        std::uint64_t lines_dropped = 0;
        bool failed = false;
    };
    std::vector<Counted> counted;  // the plugins that offer metrics, in order
    std::string text;              // their kept lines, canonical
};

// Each plugin's text validated in order (the first plugin to expose a family keeps it). A pure
// function of its inputs: identical texts give the identical part (so it may be reused).
ValidatedPlugins validate_plugins(std::span<const PluginExposition> plugins,
                                  const ExpositionLimits& limits = {});

// Adds one scrape's drops and failures to `ledger`.
void count_scrape(const ValidatedPlugins& plugins, PluginMetricsLedger& ledger);

// The page: the host's metrics (`host.plugin_totals` as given), then the plugins' kept lines.
std::string metrics_page(const HostMetrics& host, const ValidatedPlugins& plugins);

// All three: validate, count into `ledger`, render with the ledger as the plugin totals.
std::string assemble_metrics_page(HostMetrics host, std::span<const PluginExposition> plugins,
                                  PluginMetricsLedger& ledger, const ExpositionLimits& limits = {});

}  // namespace orch::host::metrics
