#include "lifespan/plugin_registry.hpp"

#include <algorithm>
#include <exception>
#include <tuple>

#include "metrics/plugin_metrics_read.hpp"

namespace orch::host {

using plugin_api::LogLevel;

bool starts_before(const Manifest& a, const Manifest& b) {
    return std::tie(a.order, a.id) < std::tie(b.order, b.id);
}

PluginRegistry::PluginRegistry(std::vector<PluginRecord> records, plugin_api::ILogger& log)
    : log_(log) {
    std::sort(records.begin(), records.end(), [](const PluginRecord& a, const PluginRecord& b) {
        return starts_before(a.manifest, b.manifest);
    });
    entries_.reserve(records.size());
    for (auto& record : records) {
        Entry entry{std::move(record.manifest), {}, {}, {}, {}, PluginState::kLoaded, {}, false};
        if (record.loaded) {
            entry.version = std::move(record.loaded->version);
            entry.capabilities = std::move(record.loaded->capabilities);
            entry.logger = std::move(record.loaded->logger);
            entry.task = std::move(record.loaded->task);
        } else if (!entry.manifest.enabled) {
            entry.state = PluginState::kDisabled;
        } else {
            entry.state = PluginState::kFailed;
            entry.error = std::move(record.load_error);
        }
        entries_.push_back(std::move(entry));
    }
}

PluginRegistry::~PluginRegistry() {
    stop_all();
    // Reverse start order, as the orchestrator tears down; each logger after its task.
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        it->task.reset();
        it->logger.reset();
    }
}

void PluginRegistry::set_state(Entry& entry, PluginState state, std::string error) {
    const std::lock_guard lock(mutex_);
    entry.state = state;
    entry.error = std::move(error);
}

bool PluginRegistry::start_all() {
    for (auto& entry : entries_) {
        if (!entry.task) {
            continue;
        }
        const std::string& id = entry.manifest.id;
        log_.log(LogLevel::kInfo, "starting plugin '" + id + "' (order " +
                                      std::to_string(entry.manifest.order) + ")");
        std::string error;
        try {
            entry.task->start();
            set_state(entry, PluginState::kRunning);
            continue;
        } catch (const std::exception& e) {
            error = std::string("start() threw: ") + e.what();
        } catch (...) {
            error = "start() threw a non-standard exception";
        }
        const std::string message = "plugin '" + id + "' failed to start: " + error;
        set_state(entry, PluginState::kFailed, std::move(error));
        if (entry.manifest.required) {
            log_.log(LogLevel::kError, message + "; it is required, so the host gives up");
            return false;
        }
        log_.log(LogLevel::kError, message + "; the other plugins go on");
    }
    return true;
}

void PluginRegistry::tick_all(const std::atomic<bool>& cancel) noexcept {
    for (auto& entry : entries_) {
        if (cancel.load()) {
            return;
        }
        PluginState state;
        {
            const std::lock_guard lock(mutex_);
            state = entry.state;
        }
        if (entry.task && (state == PluginState::kLoaded || state == PluginState::kRunning)) {
            log_.log(LogLevel::kInfo, "tick of plugin '" + entry.manifest.id + "'");
            entry.task->tick();
        }
    }
}

void PluginRegistry::stop_all() noexcept {
    const std::lock_guard stop_lock(stop_mutex_);
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        if (!it->task || it->stop_called) {
            continue;
        }
        log_.log(LogLevel::kInfo, "stopping plugin '" + it->manifest.id + "'");
        it->task->stop();
        it->stop_called = true;
        const std::lock_guard lock(mutex_);
        if (it->state != PluginState::kFailed) {  // a failed plugin keeps its error
            it->state = PluginState::kStopped;
        }
    }
}

std::vector<PluginSnapshot> PluginRegistry::snapshot() const {
    std::vector<PluginSnapshot> out;
    out.reserve(entries_.size());
    {
        const std::lock_guard lock(mutex_);
        for (const auto& entry : entries_) {
            out.push_back({entry.manifest.id, entry.manifest.queue_key, entry.version,
                           entry.manifest.required, entry.state, entry.error, std::nullopt});
        }
    }
    // Outside the lock: status() is the plugin's code, and a snapshot must never wait for a
    // start or stop. The task pointers do not change until the registry is destroyed.
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].task) {
            out[i].status_text = entries_[i].task->status();
        }
    }
    return out;
}

std::array<std::uint64_t, kPluginStateNames.size()> PluginRegistry::count_by_state() const {
    std::array<std::uint64_t, kPluginStateNames.size()> counts{};
    const std::lock_guard lock(mutex_);
    for (const auto& entry : entries_) {
        ++counts.at(static_cast<std::size_t>(entry.state));
    }
    return counts;
}

std::vector<metrics::PluginExposition> PluginRegistry::read_metrics() const {
    std::vector<metrics::PluginExposition> out;
    // No lock: the plugin's code runs here, and tasks and capabilities do not change until the
    // registry is destroyed (as in snapshot()).
    for (const auto& entry : entries_) {
        if (entry.task) {
            out.push_back(
                metrics::read_plugin_metrics(entry.manifest.id, entry.capabilities, *entry.task));
        }
    }
    return out;
}

std::vector<std::string> PluginRegistry::required_failures() const {
    std::vector<std::string> out;
    const std::lock_guard lock(mutex_);
    for (const auto& entry : entries_) {
        if (entry.manifest.required && entry.state == PluginState::kFailed) {
            out.push_back("required plugin '" + entry.manifest.id + "' failed: " + entry.error);
        }
    }
    return out;
}

}  // namespace orch::host
