// A plugin offering the real API 1.1 metrics capability (orch/plugin_api/metrics.hpp), logging
// every call the host makes into it ("call <what>"). DECLARED_MINOR 0 makes it a 1.0 plugin that
// still exports orch_metrics: a host must neither look it up nor call it. BEHAVIOUR says what
// metrics_text() does: 1 well-formed text, 2 throws, 3 garbage, 4 the accessor returns null.
#include <memory>
#include <stdexcept>
#include <string>

#include "orch/plugin_api/capabilities.hpp"
#include "orch/plugin_api/exports.hpp"
#include "orch/plugin_api/metrics.hpp"

#if !defined(DECLARED_MINOR) || !defined(PLUGIN_ID) || !defined(BEHAVIOUR)
#error "DECLARED_MINOR, PLUGIN_ID and BEHAVIOUR must be defined by the build"
#endif

namespace orch::test_plugins {

namespace api = orch::plugin_api;

class MetricsTask final : public api::IBackgroundTask, public api::IMetricsSource {
  public:
    explicit MetricsTask(api::ILogger* logger) : logger_(logger) { record("create"); }
    ~MetricsTask() override { record("destroy"); }

    void start() override { record("start"); }
    void stop() noexcept override { record("stop"); }
    void tick() noexcept override { record("tick"); }
    std::string status() const noexcept override {
        record("status");
        return R"({"id":")" PLUGIN_ID R"("})";
    }
    std::string metrics_text() const override {
        record("metrics_text");
        if (BEHAVIOUR == 2) {
            throw std::runtime_error("metrics broke");
        }
        if (BEHAVIOUR == 3) {
            return std::string("\xFF\xFE garbage {{{\n\0\0\n", 18) +
                   "orch_host_build_info{version=\"evil\"} 1\n# TYPE x nonsense\n";
        }
        return "# HELP test_" PLUGIN_ID
               "_ticks_total Ticks.\n"
               "# TYPE test_" PLUGIN_ID
               "_ticks_total counter\n"
               "test_" PLUGIN_ID "_ticks_total 1\n";
    }

    // Host loggers do not throw (host_services.hpp).
    void record(const char* what) const {
        logger_->log(api::LogLevel::kInfo, std::string("call ") + what);
    }

  private:
    api::ILogger* logger_;
};

const api::PluginDescriptor* metrics_descriptor() {
    static constexpr api::PluginDescriptor descriptor = [] {
        api::PluginDescriptor d = api::make_descriptor(PLUGIN_ID, "0.1.0");
        d.api_minor = DECLARED_MINOR;
        return d;
    }();
    return &descriptor;
}

std::unique_ptr<api::IBackgroundTask> metrics_create(const api::TaskContext& context) {
    return std::make_unique<MetricsTask>(context.logger);
}

api::IMetricsSource* metrics_of(api::IBackgroundTask& task) {
    auto& self = static_cast<MetricsTask&>(task);
    self.record("metrics");
    if (BEHAVIOUR == 4) {
        return nullptr;
    }
    return &self;
}

}  // namespace orch::test_plugins

ORCH_EXPORT_PLUGIN(orch::test_plugins::metrics_descriptor, orch::test_plugins::metrics_create)
ORCH_EXPORT_CAPABILITY(orch::test_plugins::metrics_of, orch::plugin_api::MetricsAccessorFn,
                       orch_metrics)
