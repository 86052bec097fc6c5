#include "services/prefixed_logger.hpp"

#include <utility>

#include "services/safe_log.hpp"

namespace orch::host {

PrefixedLogger::PrefixedLogger(plugin_api::ILogger& base, std::string tag)
    : base_(base), prefix_(std::move(tag) + ": ") {}

void PrefixedLogger::log(plugin_api::LogLevel level, std::string_view message) noexcept {
    try {
        std::string text;
        text.reserve(prefix_.size() + message.size());
        text += prefix_;
        text += message;
        log_noexcept(base_, level, text);
    } catch (...) {
        log_noexcept(base_, level, message);
    }
}

}  // namespace orch::host
