#include "app/metrics_page.hpp"

#include <utility>
#include <vector>

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
    const std::lock_guard lock(ledger_mutex_);
    return metrics::assemble_metrics_page(std::move(host), plugins, ledger_);
}

}  // namespace orch::host
