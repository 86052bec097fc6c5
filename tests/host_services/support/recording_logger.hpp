#pragma once
// An ILogger that keeps every line, so tests can assert on what was logged and wait for a line.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "orch/plugin_api/host_services.hpp"

namespace orch::host::testing {

struct LogEntry {
    plugin_api::LogLevel level;
    std::string message;
};

class RecordingLogger final : public plugin_api::ILogger {
  public:
    void log(plugin_api::LogLevel level, std::string_view message) override;

    std::vector<LogEntry> entries() const;
    // Every message, one per line, for failure output and "not contains" checks.
    std::string all_text() const;
    bool contains(plugin_api::LogLevel level, std::string_view fragment) const;
    // Waits until a message at `level` contains `fragment`, or the timeout passes.
    bool wait_for(plugin_api::LogLevel level, std::string_view fragment,
                  std::chrono::milliseconds timeout) const;

  private:
    bool contains_locked(plugin_api::LogLevel level, std::string_view fragment) const;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<LogEntry> entries_;
};

}  // namespace orch::host::testing
