#pragma once
// The versioned background-task interface (API 1.x) and what a host hands a task at creation.
#include <memory>
#include <string>

#include <boost/config.hpp>

#include "orch/plugin_api/host_services.hpp"

namespace orch::plugin_api {

// Why status and config cross as JSON text rather than boost::json::value: text has one layout
// for every Boost release, so a host can read a plugin's status even in a future minor that
// relaxes the Boost-version rule, and a bad value from a plugin is a parse error the host
// reports, not memory corruption. The cost (one serialise and one parse per GET /queue) is a few
// microseconds for a status of this size.
struct TaskContext {
    // The manifest's "config" object, serialised as JSON text ("{}" when absent).
    std::string config_json;
    ILogger* logger = nullptr;      // never null when created by a host
    INotifier* notifier = nullptr;  // never null when created by a host
};

class BOOST_SYMBOL_VISIBLE IBackgroundTask {
  public:
    virtual ~IBackgroundTask() = default;

    // Starts the task's own schedule. Idempotent. Honours the plugin's kill-switch: a disabled
    // task does not start and says so in status(). May throw on a failure to start; the host
    // marks the plugin failed and carries on.
    virtual void start() = 0;

    // Idempotent; returns promptly even while work is in flight. When it returns, no thread and
    // no child process of this task is left running.
    virtual void stop() noexcept = 0;

    // One pass of the task's work if it is due. Never throws.
    virtual void tick() noexcept = 0;

    // A JSON object (text) describing the task. Never throws and never waits for in-flight work.
    virtual std::string status() const noexcept = 0;
};

}  // namespace orch::plugin_api
