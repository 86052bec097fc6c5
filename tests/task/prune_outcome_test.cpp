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

// As the original: reclaimed / 1024**3 >= notify_min_gb (GiB, not docker's decimal GB).
TEST(Notify, ThresholdInGibibytes) {
    constexpr std::uint64_t kGib = 1024ULL * 1024 * 1024;
    EXPECT_FALSE(should_notify(5'000'000'000u, 0.0));  // off
    EXPECT_FALSE(should_notify(std::nullopt, 1.0));    // unknown size never notifies
    EXPECT_FALSE(should_notify(0u, 1.0));
    EXPECT_FALSE(should_notify(1'000'000'000u, 1.0));  // docker's "1GB" is 0.93 GiB
    EXPECT_FALSE(should_notify(kGib - 1, 1.0));
    EXPECT_TRUE(should_notify(kGib, 1.0));
    EXPECT_TRUE(should_notify(1'200'000'000u, 1.0));  // 1.12 GiB
    EXPECT_FALSE(should_notify(30'000'000u, 0.03));   // 0.0279 GiB
    EXPECT_TRUE(should_notify(32'212'255u, 0.03));    // 0.0300000002 GiB
    EXPECT_FALSE(should_notify(30'000'000u, -1.0));
}

// f"{bytes / 1024**3:.2f} GB", the label dashboards read.
TEST(Notify, GibLabelIsTheOriginals) {
    EXPECT_EQ(reclaimed_gib_label(0), "0.00 GB");
    EXPECT_EQ(reclaimed_gib_label(30'000'000u), "0.03 GB");
    EXPECT_EQ(reclaimed_gib_label(1'000'000'000u), "0.93 GB");
    EXPECT_EQ(reclaimed_gib_label(1'200'000'000u), "1.12 GB");
    EXPECT_EQ(reclaimed_gib_label(1'500'000'000u), "1.40 GB");
    EXPECT_EQ(reclaimed_gib_label(1024ULL * 1024 * 1024), "1.00 GB");
    EXPECT_EQ(reclaimed_gib_label(5'368'709'120u), "5.00 GB");
    EXPECT_EQ(reclaimed_gib_label(18'446'744'073'709'551'615u), "17179869184.00 GB");
}

TEST(Notify, TextNamesBothSizesHostAndUntil) {
    const std::string text = notification_text(1'500'000'000u, "root@build-1", "168h");
    EXPECT_NE(text.find("1.40 GB (1.5GB)"), std::string::npos) << text;
    EXPECT_NE(text.find("root@build-1"), std::string::npos);
    EXPECT_NE(text.find("until=168h"), std::string::npos);
    // A pressure prune (issue 10) says so instead of an until it did not use.
    const std::string pressure =
        notification_text(1'500'000'000u, "root@build-1", "168h", "pressure: keep-storage=0");
    EXPECT_NE(pressure.find("(pressure: keep-storage=0)"), std::string::npos) << pressure;
    EXPECT_EQ(pressure.find("until="), std::string::npos) << pressure;
}

TEST(PruneOutcome, InvalidUtf8InStderrBecomesReplacementCharacters) {
    const auto o = evaluate_prune_run(exited(1, "", "Ger\xE4t\n"), 600);
    EXPECT_EQ(o.error, "rc=1: Ger\xEF\xBF\xBDt");
}

TEST(PruneOutcome, ExcerptIsCutOnCharactersNotBytes) {
    // 200 two-byte characters and more: the excerpt is 200 characters (400 bytes), whole.
    std::string err;
    for (int i = 0; i < 300; ++i) {
        err += "\xC3\xA4";
    }
    const auto o = evaluate_prune_run(exited(1, "", err), 600);
    EXPECT_EQ(o.error.size(), std::string("rc=1: ").size() + 400);
    // A 3-byte character straddling byte 200 is kept whole.
    const auto straddle =
        evaluate_prune_run(exited(1, "", std::string(199, 'x') + "\xE2\x82\xAC tail"), 600);
    EXPECT_EQ(straddle.error, "rc=1: " + std::string(199, 'x') + "\xE2\x82\xAC");
}

TEST(PruneOutcome, RunnerErrorsAreValidUtf8) {
    RunResult r;
    r.outcome = RunOutcome::kSpawnFailed;
    r.error = "cannot run '/opt/\xE4/ssh'";
    EXPECT_EQ(evaluate_prune_run(r, 600).error,
              "ssh could not be started: cannot run '/opt/\xEF\xBF\xBD/ssh'");
}

}  // namespace
}  // namespace orch::pruner
