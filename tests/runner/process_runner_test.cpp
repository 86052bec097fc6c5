#include "runner/process_runner.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/event_wait.hpp"
#include "support/file_wait.hpp"
#include "support/fixture_path.hpp"
#include "support/temp_dir.hpp"

namespace orch::pruner {
namespace {

using namespace std::chrono_literals;
using test::fixture;
using test::TempDir;

constexpr std::size_t kMiB = 1024 * 1024;
// Bounds that only turn a hang into a failure; passing runs take a fraction of them.
constexpr auto kGenerous = 30'000ms;
constexpr auto kEventLimit = 10'000ms;
// How quickly a cancel must take effect (the task's stop() waits on it).
constexpr auto kPromptly = 100ms;

RunLimits limits_with(std::chrono::milliseconds timeout, std::size_t keep = 64 * 1024) {
    RunLimits limits;
    limits.timeout = timeout;
    limits.keep_bytes_per_stream = keep;
    return limits;
}

RunResult run(const std::vector<std::string>& argv,
              const RunLimits& limits = limits_with(kGenerous)) {
    const CancelToken never;
    return run_process(argv, kDefaultSearchPath, limits, never);
}

std::string describe(const RunResult& result) {
    std::ostringstream text;
    text << to_string(result.outcome) << " rc=" << result.exit_code << " signal=" << result.signal
         << " error=[" << result.error << "] stderr=[" << result.err.text().substr(0, 300) << "]";
    return text.str();
}

// "<pid> <pid>" as the spawn fixtures write it.
std::optional<std::pair<pid_t, pid_t>> parse_pid_pair(const std::string& text) {
    std::istringstream in(text);
    pid_t first = 0;
    pid_t second = 0;
    if (!(in >> first >> second) || first <= 0 || second <= 0) {
        return std::nullopt;
    }
    return std::make_pair(first, second);
}

long max_rss_kib() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

TEST(ProcessRunnerTest, ExitZeroCapturesBothStreams) {
    const RunResult result = run({fixture("runner/emit.sh"), "to stdout\n", "to stderr\n", "0"});
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out.text(), "to stdout\n");
    EXPECT_EQ(result.err.text(), "to stderr\n");
    EXPECT_EQ(result.out.total_bytes, 10u);
    EXPECT_TRUE(result.error.empty());
}

TEST(ProcessRunnerTest, NonZeroExitCodeAndStderrAreReported) {
    const RunResult result =
        run({fixture("runner/emit.sh"), "", "Error response from daemon: boom", "3"});
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_EQ(result.err.text(), "Error response from daemon: boom");
    EXPECT_EQ(result.out.total_bytes, 0u);
}

TEST(ProcessRunnerTest, ArgumentsReachTheChildVerbatimWithoutAShell) {
    const std::vector<std::string> args = {"docker builder prune -f --filter 'until=24h'",
                                           "$(touch /tmp/never)", "a;b|c", "", "  spaced  "};
    std::vector<std::string> argv{fixture("runner/print_args.sh")};
    argv.insert(argv.end(), args.begin(), args.end());
    const RunResult result = run(argv);
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    std::string expected;
    for (const auto& arg : args) {
        expected += arg + "\n";
    }
    EXPECT_EQ(result.out.text(), expected);
}

TEST(ProcessRunnerTest, CommandIsLookedUpOnPath) {
    const RunResult result = run({"sh", "-c", "echo found"});
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    EXPECT_EQ(result.out.text(), "found\n");
}

TEST(ProcessRunnerTest, ChildLeadsItsOwnSessionAndProcessGroupAndIsOurChild) {
    const RunResult result = run({fixture("runner/identity.sh")});
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    std::istringstream fields(result.out.text());
    pid_t pid = 0;
    pid_t ppid = 0;
    pid_t pgid = 0;
    pid_t sid = 0;
    ASSERT_TRUE(fields >> pid >> ppid >> pgid >> sid) << result.out.text();
    // setsid exec'd in place: no extra fork, so our direct child is the command itself and the
    // pid we signal is the group's id.
    EXPECT_EQ(ppid, ::getpid());
    EXPECT_EQ(pgid, pid);
    EXPECT_EQ(sid, pid);
    EXPECT_NE(pgid, ::getpgrp());
}

TEST(ProcessRunnerTest, StdinIsAtEndOfFile) {
    const auto started = std::chrono::steady_clock::now();
    const RunResult result = run({"cat"}, limits_with(kGenerous));
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out.total_bytes, 0u);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(ProcessRunnerTest, OneMebibyteOnBothPipesAtOnceDoesNotDeadlock) {
    const RunResult result =
        run({fixture("runner/both_streams.sh"), std::to_string(kMiB)}, limits_with(kGenerous));
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out.total_bytes, kMiB);
    EXPECT_EQ(result.err.total_bytes, kMiB);
    EXPECT_EQ(result.out.head, std::string(64 * 1024, 'o'));
    EXPECT_EQ(result.out.tail, std::string(64 * 1024, 'o'));
    EXPECT_EQ(result.err.head, std::string(64 * 1024, 'e'));
    EXPECT_EQ(result.err.tail, std::string(64 * 1024, 'e'));
}

TEST(ProcessRunnerTest, HugeOutputKeepsMemoryBoundedAndTheEnds) {
    constexpr std::size_t kZeros = 100'000'000;
    constexpr std::size_t kKeep = 4096;
    const long rss_before = max_rss_kib();
    const RunResult result = run({fixture("runner/big_output.sh"), std::to_string(kZeros)},
                                 limits_with(kGenerous, kKeep));
    const long rss_growth_kib = max_rss_kib() - rss_before;
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    EXPECT_EQ(result.out.total_bytes, kZeros + 8);  // "START" + zeros + "END"
    EXPECT_EQ(result.out.head.size(), kKeep);
    EXPECT_EQ(result.out.tail.size(), kKeep);
    EXPECT_EQ(result.out.head.substr(0, 5), "START");
    EXPECT_EQ(result.out.tail.substr(kKeep - 3), "END");
    EXPECT_TRUE(result.out.truncated());
    const std::string text = result.out.text();
    EXPECT_NE(text.find("[... " + std::to_string(kZeros + 8 - 2 * kKeep) + " bytes omitted ...]"),
              std::string::npos);
    // Keeping the output would cost ~100 MB; the reader needs a few buffers.
    EXPECT_LT(rss_growth_kib, 32 * 1024) << "max RSS grew by " << rss_growth_kib << " KiB";
    std::cout << "[ measured ] 100 MB of output read in " << result.duration.count()
              << " ms, max RSS growth " << rss_growth_kib << " KiB\n";
}

TEST(ProcessRunnerTest, TimeoutKillsTheChildAndWhatItStarted) {
    TempDir dir;
    const std::string pid_file = (dir / "pids").string();
    const auto timeout = 1000ms;
    const RunResult result =
        run({fixture("runner/spawn_and_wait.sh"), pid_file}, limits_with(timeout));
    ASSERT_EQ(result.outcome, RunOutcome::kTimedOut) << describe(result);
    EXPECT_EQ(result.signal, SIGKILL);
    EXPECT_NE(result.error.find("timed out after 1000 ms"), std::string::npos) << result.error;
    EXPECT_GE(result.duration, timeout);
    EXPECT_LT(result.duration, timeout + 2s);

    const auto pids = parse_pid_pair(test::wait_for_file(pid_file, 0ms).value_or(""));
    ASSERT_TRUE(pids) << "the fixture did not record its pids within the timeout";
    EXPECT_TRUE(test::process_gone(pids->first, "spawn_and_wait.sh"));  // reaped by run_process
    EXPECT_TRUE(test::wait_for_process_exit(pids->second, kEventLimit, "sleep"))
        << "grandchild sleep " << pids->second << " survived the timeout";
    test::kill_if_running(pids->second, "sleep");
}

TEST(ProcessRunnerTest, CancelFromAnotherThreadKillsTheTreePromptly) {
    TempDir dir;
    const std::string pid_file = (dir / "pids").string();
    CancelToken cancel;
    RunResult result;
    std::chrono::steady_clock::time_point returned_at;
    std::thread worker([&] {
        result = run_process({fixture("runner/spawn_and_wait.sh"), pid_file}, kDefaultSearchPath,
                             limits_with(kGenerous), cancel);
        returned_at = std::chrono::steady_clock::now();
    });
    const auto pids = parse_pid_pair(test::wait_for_file(pid_file, kEventLimit).value_or(""));
    const auto cancelled_at = std::chrono::steady_clock::now();
    cancel.cancel();
    worker.join();
    ASSERT_TRUE(pids) << "the fixture never signalled that it started";
    ASSERT_EQ(result.outcome, RunOutcome::kCancelled) << describe(result);
    const auto latency = returned_at - cancelled_at;
    EXPECT_LT(latency, kPromptly);
    std::cout << "[ measured ] cancel latency "
              << std::chrono::duration_cast<std::chrono::microseconds>(latency).count() << " us\n";
    EXPECT_TRUE(test::process_gone(pids->first, "spawn_and_wait.sh"));
    EXPECT_TRUE(test::wait_for_process_exit(pids->second, kEventLimit, "sleep"))
        << "grandchild sleep " << pids->second << " survived the cancel";
    test::kill_if_running(pids->second, "sleep");
}

TEST(ProcessRunnerTest, AlreadyCancelledTokenStartsNothing) {
    TempDir dir;
    CancelToken cancel;
    cancel.cancel();
    const RunResult result =
        run_process({fixture("runner/spawn_and_wait.sh"), (dir / "pids").string()},
                    kDefaultSearchPath, limits_with(kGenerous), cancel);
    EXPECT_EQ(result.outcome, RunOutcome::kCancelled) << describe(result);
    EXPECT_FALSE(std::filesystem::exists((dir / "pids").string()));
}

TEST(ProcessRunnerTest, MissingExecutableIsASpawnFailureNamingItAndThePath) {
    const std::string path = "/no-such-dir:/bin";
    const CancelToken never;
    const RunResult result =
        run_process({"no-such-ssh-binary", "-V"}, path, limits_with(kGenerous), never);
    EXPECT_EQ(result.outcome, RunOutcome::kSpawnFailed) << describe(result);
    EXPECT_NE(result.error.find("no-such-ssh-binary"), std::string::npos) << result.error;
    EXPECT_NE(result.error.find(path), std::string::npos) << result.error;
    EXPECT_EQ(result.exit_code, -1);
}

TEST(ProcessRunnerTest, NonExecutablePathIsASpawnFailure) {
    const RunResult result = run({fixture("runner")});  // a directory
    EXPECT_EQ(result.outcome, RunOutcome::kSpawnFailed) << describe(result);
    EXPECT_NE(result.error.find("not an executable file"), std::string::npos) << result.error;
}

TEST(ProcessRunnerTest, EmptyCommandLineIsASpawnFailure) {
    const RunResult result = run({});
    EXPECT_EQ(result.outcome, RunOutcome::kSpawnFailed);
    EXPECT_NE(result.error.find("empty"), std::string::npos) << result.error;
}

TEST(ProcessRunnerTest, GrandchildHoldingThePipesDoesNotBlockPastTheGracePeriod) {
    TempDir dir;
    const std::string pid_file = (dir / "pids").string();
    RunLimits limits = limits_with(kGenerous);
    limits.drain_grace = 150ms;
    const RunResult result = run({fixture("runner/leave_pipe_holder.sh"), pid_file}, limits);
    ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out.text(), "parent-done\n");
    EXPECT_GE(result.duration, limits.drain_grace);
    EXPECT_LT(result.duration, limits.drain_grace + 2s);  // the sleep would hold it 1000 s
    const auto pids = parse_pid_pair(test::wait_for_file(pid_file, 0ms).value_or(""));
    ASSERT_TRUE(pids);
    EXPECT_TRUE(test::wait_for_process_exit(pids->second, kEventLimit, "sleep"))
        << "the pipe-holding grandchild " << pids->second << " was left running";
    test::kill_if_running(pids->second, "sleep");
}

TEST(ProcessRunnerTest, DeathBySignalIsReportedWithTheSignal) {
    const RunResult result = run({fixture("runner/kill_self.sh"), "TERM"});
    ASSERT_EQ(result.outcome, RunOutcome::kSignalled) << describe(result);
    EXPECT_EQ(result.signal, SIGTERM);
    EXPECT_NE(result.error.find("SIGTERM"), std::string::npos) << result.error;
}

TEST(ProcessRunnerTest, ConcurrentRunsAreIndependent) {
    constexpr int kRuns = 4;
    std::vector<RunResult> results(kRuns);
    std::vector<std::thread> threads;
    for (int i = 0; i < kRuns; ++i) {
        threads.emplace_back([&results, i] {
            results[static_cast<std::size_t>(i)] =
                run({fixture("runner/emit.sh"), "out" + std::to_string(i),
                     "err" + std::to_string(i), std::to_string(i)});
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (int i = 0; i < kRuns; ++i) {
        const RunResult& result = results[static_cast<std::size_t>(i)];
        ASSERT_EQ(result.outcome, RunOutcome::kExited) << describe(result);
        EXPECT_EQ(result.exit_code, i);
        EXPECT_EQ(result.out.text(), "out" + std::to_string(i));
        EXPECT_EQ(result.err.text(), "err" + std::to_string(i));
    }
}

TEST(ProcessRunnerTest, NoFileDescriptorIsLeaked) {
    const std::size_t before = test::open_fd_count();
    run({fixture("runner/emit.sh"), "x", "y", "0"});
    run({"no-such-program-anywhere"});
    run({fixture("runner/spawn_and_wait.sh"), "/dev/null/x"}, limits_with(200ms));
    EXPECT_EQ(test::open_fd_count(), before);
}

TEST(ProcessRunnerTest, OutcomeNames) {
    EXPECT_STREQ(to_string(RunOutcome::kExited), "exited");
    EXPECT_STREQ(to_string(RunOutcome::kSignalled), "signalled");
    EXPECT_STREQ(to_string(RunOutcome::kTimedOut), "timed_out");
    EXPECT_STREQ(to_string(RunOutcome::kCancelled), "cancelled");
    EXPECT_STREQ(to_string(RunOutcome::kSpawnFailed), "spawn_failed");
}

}  // namespace
}  // namespace orch::pruner
