// A plugin whose work blocks until stop(): start() runs it on the plugin's own thread, tick()
// on the caller's. It appends "work started" to config "marker_file" when it blocks and "work
// ended" when stop() released it, so tests prove that GET /queue answers, and SIGTERM ends the
// host, while a long prune is in flight.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "orch/plugin_api/exports.hpp"
#include "test_plugin_config.hpp"

namespace orch::test_plugins {

namespace api = orch::plugin_api;

class SlowTask final : public api::IBackgroundTask {
  public:
    explicit SlowTask(const api::TaskContext& context)
        : marker_file_(config_string(context.config_json, "marker_file")) {}
    ~SlowTask() override { stop(); }

    void start() override {
        const std::lock_guard lock(lifecycle_);
        if (!thread_.joinable()) {
            thread_ = std::thread([this] { work(); });
        }
    }

    void stop() noexcept override {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        released_.notify_all();
        const std::lock_guard lock(lifecycle_);
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    void tick() noexcept override { work(); }

    std::string status() const noexcept override {
        const std::lock_guard lock(mutex_);
        return std::string(R"({"enabled":true,"busy":)") + (busy_ ? "true" : "false") +
               R"(,"works_started":)" + std::to_string(works_started_) + "}";
    }

  private:
    void work() noexcept {
        std::unique_lock lock(mutex_);
        if (stopping_) {
            return;
        }
        busy_ = true;
        ++works_started_;
        append_line(marker_file_, "work started");
        released_.wait(lock, [this] { return stopping_; });
        busy_ = false;
        append_line(marker_file_, "work ended");
    }

    const std::string marker_file_;
    std::mutex lifecycle_;
    mutable std::mutex mutex_;
    std::condition_variable released_;
    bool stopping_ = false;
    bool busy_ = false;
    int works_started_ = 0;
    std::thread thread_;
};

const api::PluginDescriptor* slow_descriptor() {
    static constexpr api::PluginDescriptor descriptor = api::make_descriptor("slow", "0.3.0");
    return &descriptor;
}

std::unique_ptr<api::IBackgroundTask> slow_create(const api::TaskContext& context) {
    return std::make_unique<SlowTask>(context);
}

}  // namespace orch::test_plugins

ORCH_EXPORT_PLUGIN(orch::test_plugins::slow_descriptor, orch::test_plugins::slow_create)
