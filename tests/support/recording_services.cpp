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

std::string line_of(const LogEntry& entry) {
    return std::string(level_name(entry.level)) + " " + entry.message;
}
}  // namespace

void RecordingLogger::log(plugin_api::LogLevel level, std::string_view message) {
    {
        std::lock_guard lk(mutex_);
        entries_.push_back({level, std::string(message)});
    }
    changed_.notify_all();
}

std::vector<LogEntry> RecordingLogger::entries() const {
    std::lock_guard lk(mutex_);
    return entries_;
}

std::vector<std::string> RecordingLogger::lines() const {
    std::lock_guard lk(mutex_);
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& entry : entries_) {
        out.push_back(line_of(entry));
    }
    return out;
}

std::string RecordingLogger::all_text() const {
    std::string text;
    for (const auto& line : lines()) {
        text += line + "\n";
    }
    return text;
}

int RecordingLogger::count_lines_locked(const std::string& needle) const {
    int n = 0;
    for (const auto& entry : entries_) {
        if (line_of(entry).find(needle) != std::string::npos) {
            ++n;
        }
    }
    return n;
}

bool RecordingLogger::contains_locked(plugin_api::LogLevel level, std::string_view fragment) const {
    for (const auto& entry : entries_) {
        if (entry.level == level && entry.message.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

bool RecordingLogger::contains(const std::string& needle) const {
    std::lock_guard lk(mutex_);
    return count_lines_locked(needle) > 0;
}

bool RecordingLogger::contains(plugin_api::LogLevel level, std::string_view fragment) const {
    std::lock_guard lk(mutex_);
    return contains_locked(level, fragment);
}

bool RecordingLogger::wait_for(const std::string& needle, std::chrono::milliseconds timeout,
                               int count) const {
    std::unique_lock lk(mutex_);
    return changed_.wait_for(lk, timeout, [&] { return count_lines_locked(needle) >= count; });
}

bool RecordingLogger::wait_for(plugin_api::LogLevel level, std::string_view fragment,
                               std::chrono::milliseconds timeout) const {
    std::unique_lock lk(mutex_);
    return changed_.wait_for(lk, timeout, [&] { return contains_locked(level, fragment); });
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
