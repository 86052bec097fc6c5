// Issue 8 item 9: children start with an empty signal mask and default dispositions, even when
// launched from a thread that blocks SIGINT/SIGTERM/SIGPIPE (as every host thread does, for its
// signalfd) in a process that ignores SIGPIPE; and an operator's SIGTERM then ends them.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <future>
#include <optional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "runner/process_runner.hpp"
#include "support/event_wait.hpp"
#include "support/fixture_path.hpp"
#include "support/temp_dir.hpp"

namespace orch::pruner {
namespace {

using namespace std::chrono_literals;

// The word after `name` in "pid P SigBlk: M SigIgn: I".
std::string field(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    std::string key;
    std::string value;
    while (in >> key >> value) {
        if (key == name) {
            return value;
        }
    }
    return "(missing)";
}

// Restores SIGPIPE's disposition when the test ends, whatever happened.
class IgnoredSigpipe {
  public:
    IgnoredSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGPIPE, &ignore, &saved_);
    }
    ~IgnoredSigpipe() { sigaction(SIGPIPE, &saved_, nullptr); }
    IgnoredSigpipe(const IgnoredSigpipe&) = delete;
    IgnoredSigpipe& operator=(const IgnoredSigpipe&) = delete;

  private:
    struct sigaction saved_ {};
};

TEST(ChildSignals, ChildOfABlockingThreadHasAnEmptyMaskAndDiesOnSigterm) {
    const test::TempDir dir;
    const auto report = dir / "state";
    const auto hold = dir / "hold";
    test::make_fifo(report);
    test::make_fifo(hold);  // never written: the fixture blocks in open() until signalled
    const IgnoredSigpipe ignored;
    const CancelToken never;
    auto running = std::async(std::launch::async, [&] {
        sigset_t blocked;
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGINT);
        sigaddset(&blocked, SIGTERM);
        sigaddset(&blocked, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &blocked, nullptr);  // this thread only, like a host thread
        RunLimits limits;
        limits.timeout = 60s;  // only turns a hang (an ignored SIGTERM) into a failure
        return run_process(
            {test::fixture("runner/signal_state.sh"), report.string(), hold.string()},
            kDefaultSearchPath, limits, never);
    });
    const std::optional<std::string> state = test::read_fifo_line(report, 20s);
    ASSERT_TRUE(state.has_value()) << "the fixture never reported";
    EXPECT_EQ(field(*state, "SigBlk:"), "0000000000000000") << *state;
    EXPECT_EQ(field(*state, "SigIgn:"), "0000000000000000") << *state;

    const pid_t pid = std::stoi(field(*state, "pid"));
    ASSERT_GT(pid, 1);
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    ASSERT_EQ(running.wait_for(30s), std::future_status::ready) << "SIGTERM was ignored";
    const RunResult result = running.get();
    EXPECT_EQ(result.outcome, RunOutcome::kSignalled) << result.error;
    EXPECT_EQ(result.signal, SIGTERM);
}

TEST(ChildSignals, OtherThreadsAndTheParentKeepTheirMask) {
    // The reset acts in our child only: the launching thread's own mask is untouched.
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    auto mask_after = std::async(std::launch::async, [&] {
        pthread_sigmask(SIG_BLOCK, &blocked, nullptr);
        const CancelToken never;
        RunLimits limits;
        limits.timeout = 20s;
        run_process({"/bin/true"}, kDefaultSearchPath, limits, never);
        sigset_t now;
        pthread_sigmask(SIG_BLOCK, nullptr, &now);
        return sigismember(&now, SIGTERM) == 1;
    });
    EXPECT_TRUE(mask_after.get());
}

}  // namespace
}  // namespace orch::pruner
