// The smallest useful plugin: a task that counts its ticks and reports them in its status.
#include <atomic>
#include <memory>
#include <string>

#include <orch/plugin_api/plugin_api.hpp>

namespace example {

namespace api = orch::plugin_api;

class CountingTask final : public api::IBackgroundTask {
  public:
    void start() override {}
    void stop() noexcept override {}
    void tick() noexcept override { ++ticks_; }
    std::string status() const noexcept override {
        return R"({"ticks":)" + std::to_string(ticks_.load()) + "}";
    }

  private:
    std::atomic<int> ticks_{0};
};

const api::PluginDescriptor* descriptor() {
    static constexpr api::PluginDescriptor d = api::make_descriptor("example_plugin", "0.0.1");
    return &d;
}

std::unique_ptr<api::IBackgroundTask> create(const api::TaskContext&) {
    return std::make_unique<CountingTask>();
}

}  // namespace example

ORCH_EXPORT_PLUGIN(example::descriptor, example::create)
