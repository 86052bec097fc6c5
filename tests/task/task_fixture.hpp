#pragma once
// A PrunerTask wired to a fake ssh script, recording services and a manual clock.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <boost/json/parse.hpp>

#include "manual_clock.hpp"
#include "support/recording_services.hpp"
#include "support/temp_dir.hpp"
#include "task/pruner_task.hpp"

namespace orch::test {

class TaskTest : public ::testing::Test {
  protected:
    // The fake ssh records its argv (one word per line) then runs `body`.
    void fake_ssh(const std::string& body) {
        write_script(dir / "ssh", "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + (dir / "argv").string() +
                                      "'\n" + body + "\n");
    }
    bool ssh_ran() const { return std::filesystem::exists(dir / "argv"); }

    pruner::PrunerConfig config_with_target() {
        pruner::PrunerConfig c;
        c.ssh_host = "build-host";
        c.ssh_user = "deploy";
        c.interval_s = 3600;
        c.timeout_s = 30;
        // These suites test the age prune: space checks off, so the task behaves as the
        // original (issue 10) and ssh runs once per prune. space_task_test.cpp turns them on.
        c.min_free = pruner::ByteSize::off();
        return c;
    }

    std::unique_ptr<pruner::PrunerTask> make(pruner::PrunerConfig config,
                                             std::vector<std::string> warnings = {}) {
        pruner::PrunerTaskOptions options;
        options.ssh_executable = (dir / "ssh").string();
        options.clock = clock;
        return std::make_unique<pruner::PrunerTask>(
            pruner::ResolvedConfig{std::move(config), std::move(warnings), std::nullopt}, logger,
            notifier, options);
    }

    static boost::json::object status_of(const pruner::PrunerTask& task) {
        return boost::json::parse(task.status()).as_object();
    }

    TempDir dir;
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
    RecordingLogger logger;
    RecordingNotifier notifier;
};

}  // namespace orch::test
