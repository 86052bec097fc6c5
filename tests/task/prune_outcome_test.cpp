#include "task/prune_outcome.hpp"

#include <gtest/gtest.h>

namespace orch::pruner {
namespace {

RunResult exited(int code, std::string out, std::string err) {
    RunResult r;
    r.outcome = RunOutcome::kExited;
    r.exit_code = code;
    r.out.head = std::move(out);
    r.out.total_bytes = r.out.head.size();
    r.err.head = std::move(err);
    r.err.total_bytes = r.err.head.size();
    return r;
}

TEST(PruneOutcome, LegacySummaryIsASuccessWithBytes) {
    const auto o = evaluate_prune_run(
        exited(0, "Deleted build cache objects:\nabc\n\nTotal reclaimed space: 30MB\n", ""), 600);
    EXPECT_TRUE(o.success);
    EXPECT_EQ(o.reclaimed_bytes, 30'000'000u);
    EXPECT_TRUE(o.error.empty());
    EXPECT_TRUE(o.note.empty());
}

TEST(PruneOutcome, BuildxSummaryIsASuccessWithBytes) {
    const auto o = evaluate_prune_run(
        exited(0,
               "ID\tRECLAIMABLE\tSIZE\tLAST ACCESSED\nx\ttrue\t1.5GB\t2 days ago\nTotal:\t1.5GB\n",
               ""),
        600);
    EXPECT_TRUE(o.success);
    EXPECT_EQ(o.reclaimed_bytes, 1'500'000'000u);
}

TEST(PruneOutcome, MissingSummaryIsSuccessWithUnknownSizeAndANote) {
    const auto o = evaluate_prune_run(exited(0, "nothing here\n", ""), 600);
    EXPECT_TRUE(o.success);
    EXPECT_FALSE(o.reclaimed_bytes.has_value());
    EXPECT_NE(o.note.find("no reclaimed-space summary"), std::string::npos) << o.note;
}

TEST(PruneOutcome, NonZeroExitCarriesFirst200CharsOfStderr) {
    const std::string long_err = "Error response from daemon: " + std::string(400, 'x');
    const auto o = evaluate_prune_run(exited(1, "", "  \n" + long_err + "\n"), 600);
    EXPECT_FALSE(o.success);
    EXPECT_EQ(o.error.rfind("rc=1: Error response from daemon: ", 0), 0u) << o.error;
    EXPECT_EQ(o.error.size(), std::string("rc=1: ").size() + 200);
}

// Real stderr of docker 28 without buildx against a stopped engine, behind ssh accept-new: the
// notices come first and are longer than the excerpt (seen in the e2e suite).
TEST(PruneOutcome, NoticesBeforeTheErrorAreLeftOutOfTheExcerpt) {
    const std::string err =
        "Warning: Permanently added '[127.0.0.1]:2222' (ED25519) to the list of known hosts.\r\n"
        "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n"
        "            Install the buildx component to build images with BuildKit:\n"
        "            https://docs.docker.com/go/buildx/\n"
        "\n"
        "Cannot connect to the Docker daemon at unix:///run/docker.sock. Is the docker daemon "
        "running?\n";
    EXPECT_EQ(evaluate_prune_run(exited(1, "", err), 600).error,
              "rc=1: Cannot connect to the Docker daemon at unix:///run/docker.sock. Is the docker "
              "daemon running?");
}

TEST(PruneOutcome, StderrOfOnlyNoticesIsKeptAsIs) {
    const auto o = evaluate_prune_run(
        exited(1, "", "DEPRECATED: The legacy builder is deprecated.\n  Install buildx.\n"), 600);
    EXPECT_EQ(o.error, "rc=1: DEPRECATED: The legacy builder is deprecated.   Install buildx.");
}

TEST(PruneOutcome, SshOwnFailureAndMissingDockerAreNamed) {
    EXPECT_NE(
        evaluate_prune_run(exited(255, "", "Connection refused"), 600).error.find("ssh failed"),
        std::string::npos);
    EXPECT_NE(evaluate_prune_run(exited(127, "", "docker: not found"), 600).error.find("not found"),
              std::string::npos);
    EXPECT_NE(evaluate_prune_run(exited(2, "", ""), 600).error.find("(no stderr)"),
              std::string::npos);
}

TEST(PruneOutcome, StderrNewlinesAreFlattened) {
    const auto o = evaluate_prune_run(exited(1, "", "line one\nline two"), 600);
    EXPECT_EQ(o.error, "rc=1: line one line two");
}

TEST(PruneOutcome, TimeoutCancelSpawnFailureAndSignal) {
    RunResult r;
    r.outcome = RunOutcome::kTimedOut;
    EXPECT_EQ(evaluate_prune_run(r, 42).error.rfind("timeout after 42s", 0), 0u);
    r.outcome = RunOutcome::kCancelled;
    EXPECT_NE(evaluate_prune_run(r, 42).error.find("cancelled"), std::string::npos);
    r.outcome = RunOutcome::kSpawnFailed;
    r.error = "executable 'ssh' not found on PATH";
    EXPECT_EQ(evaluate_prune_run(r, 42).error,
              "ssh could not be started: executable 'ssh' not found on PATH");
    r.outcome = RunOutcome::kSignalled;
    r.error = "signal 9";
    EXPECT_FALSE(evaluate_prune_run(r, 42).success);
}

TEST(PruneOutcome, SummaryInTheTailOfATruncatedOutputIsFound) {
    RunResult r = exited(0, std::string(1000, 'x'), "");
    r.out.tail = "yyy\nTotal reclaimed space: 2GB\n";
    r.out.total_bytes = 100'000'000;
    EXPECT_EQ(evaluate_prune_run(r, 600).reclaimed_bytes, 2'000'000'000u);
}

TEST(Notify, ThresholdInDecimalGigabytes) {
    EXPECT_FALSE(should_notify(5'000'000'000u, 0.0));  // off
    EXPECT_FALSE(should_notify(std::nullopt, 1.0));    // unknown size never notifies
    EXPECT_FALSE(should_notify(999'999'999u, 1.0));
    EXPECT_TRUE(should_notify(1'000'000'000u, 1.0));
    EXPECT_TRUE(should_notify(30'000'000u, 0.03));
    EXPECT_FALSE(should_notify(30'000'000u, -1.0));
}

TEST(Notify, TextNamesSizeHostAndUntil) {
    const std::string text = notification_text(1'500'000'000u, "root@build-1", "168h");
    EXPECT_NE(text.find("1.5GB"), std::string::npos) << text;
    EXPECT_NE(text.find("root@build-1"), std::string::npos);
    EXPECT_NE(text.find("until=168h"), std::string::npos);
}

}  // namespace
}  // namespace orch::pruner
