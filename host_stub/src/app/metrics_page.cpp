#include "app/metrics_page.hpp"

#include <vector>

#include "last_result.hpp"
#include "orch/plugin_api/version.hpp"

namespace orch::host {

std::string host_version() {
    return ORCH_HOST_VERSION;
}

std::string MetricsPage::render() {
    metrics::HostMetrics host;
    host.version = host_version();
    host.api_version =
        std::to_string(plugin_api::kApiMajor) + "." + std::to_string(plugin_api::kApiMinor);
    host.plugins_by_state = registry_.count_by_state();
    if (notifier_.configured()) {
        // Without a bot token nothing is ever sent: the families are left out rather than
        // showing zeros that look like a healthy notifier.
        const NotifierCounters c = notifier_.counters();
        host.notifier = metrics::NotifierMetrics{c.sent, c.failed, c.dropped, c.queued};
    }
    host.http = counters_.snapshot();
    // The plugins' code runs outside the lock: a slow plugin delays its own scrape only.
    const std::vector<metrics::PluginExposition> plugins = registry_.read_metrics();
    // Validating the plugins' text is a pure function of it, and their text changes far less
    // often than it is scraped: each server thread reuses its last result for byte-identical
    // texts (last_result.hpp). The drops are still counted for every scrape.
    thread_local LastResult<metrics::ValidatedPlugins, std::vector<metrics::PluginExposition>> last;
    const metrics::ValidatedPlugins& validated = last.get(
        [](const std::vector<metrics::PluginExposition>& texts) {
            return metrics::validate_plugins(texts);
        },
        plugins);
    {
        // Only the ledger is shared: counting and copying it, not validating or rendering.
        const std::lock_guard lock(ledger_mutex_);
        metrics::count_scrape(validated, ledger_);
        host.plugin_totals = ledger_;
    }
    return metrics::metrics_page(host, validated);
}

}  // namespace orch::host
