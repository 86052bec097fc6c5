// The library's exported surface: a descriptor the host checks first, then the factory.
#include "orch/plugin_api/exports.hpp"
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

}  // namespace orch::pruner

ORCH_EXPORT_PLUGIN(orch::pruner::plugin_descriptor, orch::pruner::create_task)
