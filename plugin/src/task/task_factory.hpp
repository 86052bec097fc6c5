#pragma once
// Turns what the host hands over (config JSON text, logger, notifier) into a PrunerTask.
#include <memory>

#include "core/config.hpp"
#include "orch/plugin_api/background_task.hpp"
#include "task/pruner_task.hpp"

namespace orch::pruner {

// Parses the manifest config text; text that is not a JSON object is reported as a config
// warning and treated as "{}" so the environment and defaults still apply. Never throws on bad
// config; may throw std::bad_alloc or std::system_error.
std::unique_ptr<PrunerTask> make_pruner_task(const plugin_api::TaskContext& context,
                                             const Environment& env,
                                             PrunerTaskOptions options = {});

}  // namespace orch::pruner
