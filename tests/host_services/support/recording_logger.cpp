#include "support/recording_logger.hpp"

namespace orch::host::testing {

void RecordingLogger::log(plugin_api::LogLevel level, std::string_view message) {
    {
        const std::lock_guard lock(mutex_);
        entries_.push_back({level, std::string(message)});
    }
    changed_.notify_all();
}

std::vector<LogEntry> RecordingLogger::entries() const {
    const std::lock_guard lock(mutex_);
    return entries_;
}

std::string RecordingLogger::all_text() const {
    const std::lock_guard lock(mutex_);
    std::string text;
    for (const LogEntry& entry : entries_) {
        text += std::to_string(static_cast<int>(entry.level)) + " " + entry.message + "\n";
    }
    return text;
}

bool RecordingLogger::contains_locked(plugin_api::LogLevel level, std::string_view fragment) const {
    for (const LogEntry& entry : entries_) {
        if (entry.level == level && entry.message.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

bool RecordingLogger::contains(plugin_api::LogLevel level, std::string_view fragment) const {
    const std::lock_guard lock(mutex_);
    return contains_locked(level, fragment);
}

bool RecordingLogger::wait_for(plugin_api::LogLevel level, std::string_view fragment,
                               std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return contains_locked(level, fragment); });
}

}  // namespace orch::host::testing
