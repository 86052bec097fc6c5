// Appends "start <id>", "tick <id>", "stop <id>" to the file named by config "record_file", so
// a test can read the order in which the host drove several plugins. Built once per id
// (RECORDER_ID): the host requires the descriptor's id to equal the manifest's.
// config "enabled": false is this plugin's own kill-switch: start() then does nothing and
// status() says {"enabled": false}, as the real plugin does. config "notify": every tick hands
// that text to the host's notifier, as the real plugin does after a prune.
#include <atomic>
#include <memory>
#include <string>

#include "orch/plugin_api/exports.hpp"
#include "test_plugin_config.hpp"

#ifndef RECORDER_ID
#error "RECORDER_ID must be defined by the build"
#endif

namespace orch::test_plugins {

namespace api = orch::plugin_api;

class RecorderTask final : public api::IBackgroundTask {
  public:
    explicit RecorderTask(const api::TaskContext& context)
        : record_file_(config_string(context.config_json, "record_file")),
          enabled_(config_bool(context.config_json, "enabled", true)),
          notify_(config_string(context.config_json, "notify")),
          notifier_(context.notifier),
          config_json_(context.config_json) {
        append_line(record_file_, "create " RECORDER_ID);
    }
    ~RecorderTask() override { append_line(record_file_, "destroy " RECORDER_ID); }

    void start() override {
        if (enabled_) {
            append_line(record_file_, "start " RECORDER_ID);
        }
    }
    void stop() noexcept override { append_line(record_file_, "stop " RECORDER_ID); }
    void tick() noexcept override {
        ticks_.fetch_add(1);
        append_line(record_file_, "tick " RECORDER_ID);
        if (!notify_.empty() && notifier_ != nullptr) {
            notifier_->notify(notify_);
        }
    }
    std::string status() const noexcept override {
        if (!enabled_) {
            return R"({"enabled":false})";
        }
        return R"({"enabled":true,"id":")" RECORDER_ID R"(","ticks":)" +
               std::to_string(ticks_.load()) + R"(,"config":)" + config_json_ + "}";
    }

  private:
    std::string record_file_;
    bool enabled_;
    std::string notify_;
    api::INotifier* notifier_;
    std::string config_json_;
    std::atomic<int> ticks_{0};
};

const api::PluginDescriptor* recorder_descriptor() {
    static constexpr api::PluginDescriptor descriptor = api::make_descriptor(RECORDER_ID, "0.1.0");
    return &descriptor;
}

std::unique_ptr<api::IBackgroundTask> recorder_create(const api::TaskContext& context) {
    if (context.logger != nullptr) {
        context.logger->log(api::LogLevel::kInfo, "recorder " RECORDER_ID " created");
    }
    return std::make_unique<RecorderTask>(context);
}

}  // namespace orch::test_plugins

ORCH_EXPORT_PLUGIN(orch::test_plugins::recorder_descriptor, orch::test_plugins::recorder_create)
