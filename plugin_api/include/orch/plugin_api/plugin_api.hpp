#pragma once
// Everything a plugin or host needs from the plugin API.
#include "orch/plugin_api/abi.hpp"
#include "orch/plugin_api/background_task.hpp"
#include "orch/plugin_api/capabilities.hpp"
#include "orch/plugin_api/compatibility.hpp"
#include "orch/plugin_api/descriptor.hpp"
#include "orch/plugin_api/exports.hpp"
#include "orch/plugin_api/host_services.hpp"
#include "orch/plugin_api/metrics.hpp"
#include "orch/plugin_api/version.hpp"
