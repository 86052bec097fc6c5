// The library's exported surface: a descriptor the host checks first, then the factory, and the
// API 1.1 metrics capability.
#include "orch/plugin_api/capabilities.hpp"
#include "orch/plugin_api/exports.hpp"
#include "orch/plugin_api/metrics.hpp"
#include "task/task_factory.hpp"

#ifndef ORCH_PRUNER_VERSION
#error "ORCH_PRUNER_VERSION must be defined by the build"
#endif

namespace orch::pruner {

const plugin_api::PluginDescriptor* plugin_descriptor() {
    static constexpr plugin_api::PluginDescriptor descriptor =
        plugin_api::make_descriptor("build_cache_pruner", ORCH_PRUNER_VERSION);
    return &descriptor;
}

std::unique_ptr<plugin_api::IBackgroundTask> create_task(const plugin_api::TaskContext& context) {
    return make_pruner_task(context, current_environment());
}

// Every task this library creates is a PrunerTask (task_factory.hpp), which is a metrics source;
// the cast still checks, so a task of another kind would simply offer no metrics.
plugin_api::IMetricsSource* metrics_of(plugin_api::IBackgroundTask& task) {
    return dynamic_cast<plugin_api::IMetricsSource*>(&task);
}

}  // namespace orch::pruner

ORCH_EXPORT_PLUGIN(orch::pruner::plugin_descriptor, orch::pruner::create_task)
ORCH_EXPORT_CAPABILITY(orch::pruner::metrics_of, orch::plugin_api::MetricsAccessorFn, orch_metrics)
