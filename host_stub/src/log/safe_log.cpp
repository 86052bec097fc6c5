#include "log/safe_log.hpp"

namespace orch::host {

void log_noexcept(plugin_api::ILogger& logger, plugin_api::LogLevel level,
                  std::string_view message) noexcept {
    try {
        logger.log(level, message);
    } catch (...) {
        // A logger that throws has nowhere left to report to; the caller's work goes on.
    }
}

}  // namespace orch::host
