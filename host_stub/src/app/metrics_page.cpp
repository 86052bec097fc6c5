#include "app/metrics_page.hpp"

#include <utility>
#include <vector>

#include "orch/plugin_api/version.hpp"

namespace orch::host {

namespace {

struct LastValidation {
    std::vector<metrics::PluginExposition> plugins;
    metrics::ValidatedPlugins validated;
    bool valid = false;
};

}  // namespace

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
    std::vector<metrics::PluginExposition> plugins = registry_.read_metrics();
    // Validating the plugins' text is a pure function of it, and their text changes far less
    // often than it is scraped: each server thread keeps its last result and reuses it for
    // byte-identical texts (read fresh above, so never stale). The drops are still counted for
    // every scrape.
    thread_local LastValidation last;
    if (!last.valid || last.plugins != plugins) {
        last.valid = false;
        last.validated = metrics::validate_plugins(plugins);
        last.plugins = std::move(plugins);
        last.valid = true;
    }
    {
        // Only the ledger is shared: counting and copying it, not validating or rendering.
        const std::lock_guard lock(ledger_mutex_);
        metrics::count_scrape(last.validated, ledger_);
        host.plugin_totals = ledger_;
    }
    return metrics::metrics_page(host, last.validated);
}

}  // namespace orch::host
