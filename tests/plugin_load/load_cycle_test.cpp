// Load, create, start, stop, destroy and unload the real plugin 1000 times in one process: no
// crash, and no thread, file descriptor or child left behind (LeakSanitizer checks memory in the
// ASan build).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <boost/dll/shared_library.hpp>

#include "orch/plugin_api/plugin_api.hpp"
#include "support/event_wait.hpp"
#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"

namespace orch::test {
namespace {

namespace api = orch::plugin_api;

int open_fd_count() {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        ++n;
    }
    return n;
}

TEST(PluginLoadCycle, ThousandLoadStartStopUnloadCyclesLeaveNothingBehind) {
    TempDir dir;
    write_script(dir / "ssh", "#!/bin/sh\necho 'Total reclaimed space: 1kB'\n");
    const std::string old_path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    setenv("PATH", (dir.path().string() + ":" + old_path).c_str(), 1);
    const std::string config = R"({"deploy_ssh_host": "build-host"})";
    RecordingLogger logger;
    RecordingNotifier notifier;
    const int threads_before = thread_count("cache-pruner");
    const int fds_before = open_fd_count();

    constexpr int kCycles = 1000;
    for (int i = 0; i < kCycles; ++i) {
        boost::dll::shared_library library(ORCH_PLUGIN_PATH);
        const auto* descriptor = library.get_alias<api::DescriptorFn>(api::kDescriptorSymbol)();
        ASSERT_TRUE(api::check_compatibility(*descriptor, api::host_descriptor()).ok);
        {
            api::TaskContext context{config, &logger, &notifier};
            auto task = library.get_alias<api::FactoryFn>(api::kFactorySymbol)(context);
            task->start();
            task->stop();
        }  // the task is destroyed before its library is unloaded
        library.unload();
    }
    setenv("PATH", old_path.c_str(), 1);
    EXPECT_EQ(thread_count("cache-pruner"), threads_before);
    EXPECT_EQ(open_fd_count(), fds_before);
}

}  // namespace
}  // namespace orch::test
