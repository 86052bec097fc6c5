#pragma once
// ILogger / INotifier implementations for tests that record what the plugin said and let a test
// wait, with a deadline, until a matching message arrives.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "orch/plugin_api/host_services.hpp"

namespace orch::test {

struct LogEntry {
    plugin_api::LogLevel level;
    std::string message;
};

class RecordingLogger final : public plugin_api::ILogger {
  public:
    void log(plugin_api::LogLevel level, std::string_view message) override;

    std::vector<LogEntry> entries() const;
    // "LEVEL message" per entry, e.g. "WARNING prune failed: rc=1".
    std::vector<std::string> lines() const;
    // Every line, newline-terminated, for failure output and "not contains" checks.
    std::string all_text() const;

    // Whether some line ("LEVEL message") contains `needle`.
    bool contains(const std::string& needle) const;
    // Whether some message at `level` contains `fragment`.
    bool contains(plugin_api::LogLevel level, std::string_view fragment) const;
    // True once a line containing `needle` has been logged `count` times, false at the deadline.
    bool wait_for(const std::string& needle, std::chrono::milliseconds timeout,
                  int count = 1) const;
    // True once a message at `level` contains `fragment`, false at the deadline.
    bool wait_for(plugin_api::LogLevel level, std::string_view fragment,
                  std::chrono::milliseconds timeout) const;

  private:
    int count_lines_locked(const std::string& needle) const;
    bool contains_locked(plugin_api::LogLevel level, std::string_view fragment) const;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<LogEntry> entries_;
};

class RecordingNotifier final : public plugin_api::INotifier {
  public:
    void notify(std::string_view text) override;
    std::vector<std::string> messages() const;
    bool throw_on_notify = false;

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
};

}  // namespace orch::test
