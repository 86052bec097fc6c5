#pragma once
// The plugins of one host run, in start order, and their life: start in `order` (ties by id),
// stop in reverse, state and error per plugin. Thread-safe: snapshot() may run on an HTTP thread
// while another thread starts, ticks or stops plugins.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "lifespan/plugin_snapshot.hpp"
#include "loading/plugin_loader.hpp"
#include "manifest/manifest.hpp"
#include "metrics/host_metrics.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

// One manifest and what became of it before any start.
struct PluginRecord {
    Manifest manifest;
    std::optional<LoadedPlugin> loaded;  // nullopt: disabled, or refused (see load_error)
    std::string load_error;
};

class PluginRegistry {
  public:
    PluginRegistry(std::vector<PluginRecord> records, plugin_api::ILogger& log);
    // Stops what still runs, then destroys tasks in reverse start order.
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Starts every loaded plugin in order. A start() that throws marks that plugin failed and
    // the rest go on, unless it is required: then nothing further is started and false is
    // returned (the caller stops what started and exits non-zero).
    bool start_all();

    // One tick() of every loaded or running plugin, in order; checks `cancel` between plugins.
    void tick_all(const std::atomic<bool>& cancel) noexcept;

    // stop() on every task in reverse order (also a failed start: stop() cleans up partial
    // starts). Idempotent; safe to call while tick_all() runs on another thread: stop() makes
    // in-flight work return.
    void stop_all() noexcept;

    std::vector<PluginSnapshot> snapshot() const;

    // How many plugins are in each state, indexed by PluginState (for orch_host_plugins); no
    // call into any plugin.
    std::array<std::uint64_t, kPluginStateNames.size()> count_by_state() const;

    // Each plugin's metrics through the API 1.1 capability (read_plugin_metrics), in start order,
    // for every plugin that has a task: tasks live until the registry is destroyed, and a
    // stopped task still answers, like status(). Plugins without a task are left out.
    std::vector<metrics::PluginExposition> read_metrics() const;

    // Messages of required plugins that were refused or failed to start.
    std::vector<std::string> required_failures() const;

  private:
    struct Entry {
        Manifest manifest;
        std::string version;
        OfferedCapabilities capabilities;                   // fixed after construction
        std::unique_ptr<plugin_api::ILogger> logger;        // outlives task
        std::unique_ptr<plugin_api::IBackgroundTask> task;  // fixed until ~PluginRegistry
        PluginState state;                                  // guarded by mutex_
        std::string error;                                  // guarded by mutex_
        bool stop_called;                                   // guarded by stop_mutex_
    };

    void set_state(Entry& entry, PluginState state, std::string error = {});

    plugin_api::ILogger& log_;
    std::vector<Entry> entries_;  // start order; never resized after construction
    mutable std::mutex mutex_;
    std::mutex stop_mutex_;  // serialises stop_all() callers
};

// Start order: `order` ascending, ties by id. Pure.
bool starts_before(const Manifest& a, const Manifest& b);

}  // namespace orch::host
