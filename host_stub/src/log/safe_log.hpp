#pragma once
// ILogger::log is not noexcept (plugins may guard it), so host code that must not throw logs
// through this wrapper.
#include <string_view>

#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

void log_noexcept(plugin_api::ILogger& logger, plugin_api::LogLevel level,
                  std::string_view message) noexcept;

}  // namespace orch::host
