// A plugin that logs every call the host makes into it ("call <what>") through the logger it is
// given, and exports the accessor of the test capability (test_capability.hpp) whatever API
// minor it declares (DECLARED_MINOR). Built as 1.0 it is an old plugin that happens to export a
// newer capability's name: a host must neither look it up nor call it. Built as 1.1 it is a
// plugin that offers the capability, which shows the host does find and call it when allowed.
#include <memory>
#include <string>

#include "orch/plugin_api/capabilities.hpp"
#include "orch/plugin_api/exports.hpp"
#include "test_capability.hpp"

#if !defined(DECLARED_MINOR) || !defined(PLUGIN_ID)
#error "DECLARED_MINOR and PLUGIN_ID must be defined by the build"
#endif

namespace orch::test_plugins {

namespace api = orch::plugin_api;

class CallLoggingTask final : public api::IBackgroundTask, public ITestCapability {
  public:
    explicit CallLoggingTask(api::ILogger* logger) : logger_(logger) { record("create"); }
    ~CallLoggingTask() override { record("destroy"); }

    void start() override { record("start"); }
    void stop() noexcept override { record("stop"); }
    void tick() noexcept override { record("tick"); }
    std::string status() const noexcept override {
        record("status");
        return R"({"id":")" PLUGIN_ID R"("})";
    }
    std::string answer() const override {
        record("answer");
        return "42";
    }

    // Host loggers do not throw (host_services.hpp).
    void record(const char* what) const {
        logger_->log(api::LogLevel::kInfo, std::string("call ") + what);
    }

  private:
    api::ILogger* logger_;
};

const api::PluginDescriptor* capability_descriptor() {
    static constexpr api::PluginDescriptor descriptor = [] {
        api::PluginDescriptor d = api::make_descriptor(PLUGIN_ID, "0.1.0");
        d.api_minor = DECLARED_MINOR;
        return d;
    }();
    return &descriptor;
}

std::unique_ptr<api::IBackgroundTask> capability_create(const api::TaskContext& context) {
    return std::make_unique<CallLoggingTask>(context.logger);
}

ITestCapability* test_capability_of(api::IBackgroundTask& task) {
    auto& self = static_cast<CallLoggingTask&>(task);
    self.record("capability");
    return &self;
}

}  // namespace orch::test_plugins

ORCH_EXPORT_PLUGIN(orch::test_plugins::capability_descriptor, orch::test_plugins::capability_create)
ORCH_EXPORT_CAPABILITY(orch::test_plugins::test_capability_of,
                       orch::test_plugins::TestCapabilityAccessorFn, orch_test_capability)
