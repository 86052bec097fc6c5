#pragma once
// ILogger / INotifier implementations for tests that record what the plugin said and let a test
// wait, with a deadline, until a matching message arrives.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "orch/plugin_api/host_services.hpp"

namespace orch::test {

class RecordingLogger final : public plugin_api::ILogger {
  public:
    void log(plugin_api::LogLevel level, std::string_view message) override;
    std::vector<std::string> lines() const;
    bool contains(const std::string& needle) const;
    // True once a line containing `needle` has been logged `count` times.
    bool wait_for(const std::string& needle, std::chrono::milliseconds timeout, int count = 1);

  private:
    int count_locked(const std::string& needle) const;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> lines_;
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
