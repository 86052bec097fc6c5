#include "support/recording_services.hpp"

#include <stdexcept>

namespace orch::test {

namespace {
const char* level_name(plugin_api::LogLevel level) {
    switch (level) {
        case plugin_api::LogLevel::kDebug:
            return "DEBUG";
        case plugin_api::LogLevel::kInfo:
            return "INFO";
        case plugin_api::LogLevel::kWarning:
            return "WARNING";
        case plugin_api::LogLevel::kError:
            return "ERROR";
    }
    return "?";
}
}  // namespace

void RecordingLogger::log(plugin_api::LogLevel level, std::string_view message) {
    {
        std::lock_guard lk(mutex_);
        lines_.push_back(std::string(level_name(level)) + " " + std::string(message));
    }
    changed_.notify_all();
}

std::vector<std::string> RecordingLogger::lines() const {
    std::lock_guard lk(mutex_);
    return lines_;
}

int RecordingLogger::count_locked(const std::string& needle) const {
    int n = 0;
    for (const auto& line : lines_) {
        if (line.find(needle) != std::string::npos) {
            ++n;
        }
    }
    return n;
}

bool RecordingLogger::contains(const std::string& needle) const {
    std::lock_guard lk(mutex_);
    return count_locked(needle) > 0;
}

bool RecordingLogger::wait_for(const std::string& needle, std::chrono::milliseconds timeout,
                               int count) {
    std::unique_lock lk(mutex_);
    return changed_.wait_for(lk, timeout, [&] { return count_locked(needle) >= count; });
}

void RecordingNotifier::notify(std::string_view text) {
    if (throw_on_notify) {
        throw std::runtime_error("notifier exploded");
    }
    std::lock_guard lk(mutex_);
    messages_.emplace_back(text);
}

std::vector<std::string> RecordingNotifier::messages() const {
    std::lock_guard lk(mutex_);
    return messages_;
}

}  // namespace orch::test
