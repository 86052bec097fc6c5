#pragma once
// GET /metrics of a serving host: gathers what assemble_metrics_page (metrics/host_metrics.hpp)
// renders (plugins by state, the notifier's counters, the HTTP request counts, each plugin's
// metrics) and keeps the per-plugin ledger, whose counters must not go down between scrapes.
#include <mutex>
#include <string>

#include "lifespan/plugin_registry.hpp"
#include "metrics/host_metrics.hpp"
#include "metrics/http_request_counters.hpp"
#include "notify/telegram_notifier.hpp"

namespace orch::host {

// The host's build version, as orch_host_build_info shows it.
std::string host_version();

class MetricsPage {
  public:
    // Both must outlive the page (and the server rendering it).
    MetricsPage(const PluginRegistry& registry, const TelegramNotifier& notifier)
        : registry_(registry), notifier_(notifier) {}
    MetricsPage(const MetricsPage&) = delete;
    MetricsPage& operator=(const MetricsPage&) = delete;

    // Thread-safe: scrapes may run at once on several server threads.
    std::string render();

    // What the HTTP server counts every response into.
    metrics::HttpRequestCounters& request_counters() noexcept { return counters_; }

  private:
    const PluginRegistry& registry_;
    const TelegramNotifier& notifier_;
    metrics::HttpRequestCounters counters_;
    std::mutex ledger_mutex_;
    metrics::PluginMetricsLedger ledger_;  // guarded by ledger_mutex_
};

}  // namespace orch::host
