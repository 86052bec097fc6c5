// A well-formed, compatible plugin that misbehaves in one way chosen at build time (BEHAVIOUR):
//   1 start_throws   start() throws std::runtime_error
//   2 bad_status     status() returns text that is not JSON
//   3 factory_throws orch_create_task throws
//   4 factory_null   orch_create_task returns nullptr
//   5 null_descriptor orch_plugin_descriptor returns nullptr
//   6 stdout_noise   tick() prints to stdout, which the host reserves for its own output
//   7 latin1_status  status() and tick()'s log message hold Latin-1 bytes (a remote stderr in
//                    a non-UTF-8 locale), which are not UTF-8
// PLUGIN_ID is the id in its descriptor.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "orch/plugin_api/exports.hpp"

#if !defined(BEHAVIOUR) || !defined(PLUGIN_ID)
#error "BEHAVIOUR and PLUGIN_ID must be defined by the build"
#endif

namespace orch::test_plugins {

namespace api = orch::plugin_api;

class MisbehavingTask final : public api::IBackgroundTask {
  public:
    explicit MisbehavingTask(api::ILogger* logger) : logger_(logger) {}

    void start() override {
        if (BEHAVIOUR == 1) {
            throw std::runtime_error("cannot start: the test plugin always fails here");
        }
    }
    void stop() noexcept override {}
    void tick() noexcept override {
        if (BEHAVIOUR == 6) {
            std::puts("noise from the stdout_noise plugin");
            std::fflush(stdout);
        }
        if (BEHAVIOUR == 7 && logger_ != nullptr) {
            logger_->log(api::LogLevel::kWarning, "prune failed: rc=1: Ger\xE4t nicht gefunden");
        }
    }
    std::string status() const noexcept override {
        if (BEHAVIOUR == 2) {
            return "this is {not JSON";
        }
        if (BEHAVIOUR == 7) {
            return "{\"enabled\":true,\"last_error\":\"rc=1: Ger\xE4t nicht gefunden\"}";
        }
        return R"({"enabled":true})";
    }

  private:
    api::ILogger* logger_;
};

const api::PluginDescriptor* misbehaving_descriptor() {
    static constexpr api::PluginDescriptor descriptor = api::make_descriptor(PLUGIN_ID, "0.2.0");
    return BEHAVIOUR == 5 ? nullptr : &descriptor;
}

std::unique_ptr<api::IBackgroundTask> misbehaving_create(const api::TaskContext& context) {
    if (BEHAVIOUR == 3) {
        throw std::runtime_error("factory refuses: bad config for the test plugin");
    }
    if (BEHAVIOUR == 4) {
        return nullptr;
    }
    return std::make_unique<MisbehavingTask>(context.logger);
}

}  // namespace orch::test_plugins

ORCH_EXPORT_PLUGIN(orch::test_plugins::misbehaving_descriptor,
                   orch::test_plugins::misbehaving_create)
