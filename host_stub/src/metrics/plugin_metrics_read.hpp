#pragma once
// Asks one loaded plugin for its metrics through the API 1.1 capability, if it offers it. The
// only place the host calls into IMetricsSource: a plugin that does not offer the capability
// (every 1.0 plugin) is not called at all, and one that throws costs its samples, not the page.
#include <string>

#include "loading/offered_capabilities.hpp"
#include "metrics/host_metrics.hpp"
#include "orch/plugin_api/background_task.hpp"

namespace orch::host::metrics {

PluginExposition read_plugin_metrics(const std::string& plugin_id,
                                     const OfferedCapabilities& capabilities,
                                     plugin_api::IBackgroundTask& task) noexcept;

}  // namespace orch::host::metrics
