#pragma once
// The host's logger: one escaped line per message on stderr (or any stdio stream, for tests).
#include <cstdio>
#include <string>
#include <string_view>

#include "log/log_level.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

class StderrLogger final : public plugin_api::ILogger {
  public:
    // `out` must outlive the logger. Lines below `minimum` are discarded.
    explicit StderrLogger(LogLevel minimum = kDefaultLogLevel, std::string source = "host",
                          std::FILE* out = stderr);

    // Thread-safe: each line is written with one locked stdio call, so lines from different
    // threads and different StderrLogger instances on the same stream never interleave.
    void log(LogLevel level, std::string_view message) noexcept override;

    // The same stream and minimum level under another source tag (e.g. a plugin id).
    StderrLogger with_source(std::string source) const;

    LogLevel minimum_level() const noexcept { return minimum_; }
    const std::string& source() const noexcept { return source_; }

  private:
    LogLevel minimum_;
    std::string source_;
    std::FILE* out_;
};

}  // namespace orch::host
