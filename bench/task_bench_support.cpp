#include "task_bench_support.hpp"

#include <unistd.h>

#include <stdexcept>
#include <system_error>

#include "core/prune_command.hpp"
#include "core/reclaimed_parser.hpp"
#include "support/event_wait.hpp"

namespace orch::bench {

namespace {

pruner::PrunerConfig bench_config() {
    pruner::PrunerConfig config;
    config.ssh_host = "build-host";
    config.ssh_user = "deploy";
    config.interval_s = 3600;
    config.timeout_s = 600;
    // The age prune only, one ssh per tick, as these figures were defined (issue 5): no space
    // probe (issue 10), like process_bench.sh's MIN_FREE=0.
    config.min_free = pruner::ByteSize::off();
    return config;
}

}  // namespace

std::string real_prune_output() {
    const std::string text =
        orch::test::read_file(std::string(ORCH_BENCH_PRUNE_SAMPLES_DIR) + "/legacy_prune_all.txt");
    if (text.find("Total reclaimed space:") == std::string::npos) {
        throw std::runtime_error("legacy_prune_all.txt is missing or has no summary line");
    }
    return text;
}

std::uint64_t real_prune_reclaimed_bytes() {
    const auto bytes = pruner::parse_reclaimed(real_prune_output());
    if (!bytes) {
        throw std::runtime_error("legacy_prune_all.txt has no readable summary");
    }
    return *bytes;
}

std::filesystem::path write_summary_ssh(const orch::test::TempDir& dir) {
    const auto path = dir / "ssh";
    orch::test::write_script(path, "#!/bin/sh\ncat <<'EOF'\n" + real_prune_output() + "EOF\n");
    return path;
}

std::filesystem::path write_hanging_ssh(const orch::test::TempDir& dir) {
    const auto path = dir / "ssh";
    orch::test::make_fifo(dir / "started");
    orch::test::write_script(path, "#!/bin/sh\nsleep 60 &\necho \"$$ $!\" > '" +
                                       (dir / "started").string() + "'\nwait\n");
    return path;
}

std::pair<pid_t, pid_t> wait_for_hanging_ssh(const orch::test::TempDir& dir) {
    const auto line = orch::test::read_fifo_line(dir / "started", std::chrono::seconds(10));
    int ssh = 0;
    int sleeper = 0;
    if (!line || std::sscanf(line->c_str(), "%d %d", &ssh, &sleeper) != 2) {
        throw std::runtime_error("the hanging fake ssh did not report its pids within 10 s");
    }
    return {ssh, sleeper};
}

std::vector<std::string> prune_argv(const std::filesystem::path& ssh) {
    const auto config = bench_config();
    pruner::SshOptions options;
    options.target = config.ssh_user + "@" + config.ssh_host;
    std::vector<std::string> argv = pruner::build_prune_argv(options, config.until, config.all);
    argv.front() = ssh.string();
    return argv;
}

std::unique_ptr<BenchTask> make_bench_task(const std::filesystem::path& ssh) {
    auto bench = std::make_unique<BenchTask>();
    pruner::PrunerTaskOptions options;
    options.ssh_executable = ssh.string();
    options.clock = bench->clock;
    bench->task = std::make_unique<pruner::PrunerTask>(
        pruner::ResolvedConfig{bench_config(), {}, std::nullopt}, bench->logger, bench->notifier,
        options);
    return bench;
}

bool gone_within(pid_t pid, std::chrono::milliseconds timeout) {
    return orch::test::process_gone(pid) || orch::test::wait_for_process_exit(pid, timeout);
}

pid_t spawn_child(const std::vector<std::string>& argv, SpawnFileActions* actions, short flags) {
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, flags);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, args[0], actions ? actions->get() : nullptr, &attr,
                                 args.data(), environ);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        throw std::system_error(rc, std::generic_category(), "posix_spawn " + argv[0]);
    }
    return pid;
}

}  // namespace orch::bench
