#include "metrics/plugin_metrics_read.hpp"

#include "orch/plugin_api/metrics.hpp"

namespace orch::host::metrics {

PluginExposition read_plugin_metrics(const std::string& plugin_id,
                                     const OfferedCapabilities& capabilities,
                                     plugin_api::IBackgroundTask& task) noexcept {
    PluginExposition out;
    try {
        out.plugin_id = plugin_id;
        auto* accessor = capabilities.accessor<plugin_api::MetricsAccessorFn>(plugin_api::kMetrics);
        if (accessor == nullptr) {
            return out;
        }
        const plugin_api::IMetricsSource* source = accessor(task);
        if (source == nullptr) {
            return out;  // this task offers none
        }
        out.text = source->metrics_text();
    } catch (...) {
        // What it threw is the plugin's business; the page must stay whole. Counted by the
        // caller as orch_host_plugin_metrics_failures_total.
        out.text.reset();
        out.failed = true;
    }
    return out;
}

}  // namespace orch::host::metrics
