#pragma once
// Tags every message with a component name ("telegram: ...") before passing it to another logger.
#include <string>
#include <string_view>

#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

class PrefixedLogger final : public plugin_api::ILogger {
  public:
    // `base` must outlive this logger.
    PrefixedLogger(plugin_api::ILogger& base, std::string tag);

    void log(plugin_api::LogLevel level, std::string_view message) noexcept override;

  private:
    plugin_api::ILogger& base_;
    std::string prefix_;
};

}  // namespace orch::host
