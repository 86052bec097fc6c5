// The command line and the install-relative default directories.
#include <gtest/gtest.h>

#include "cli/cli_options.hpp"
#include "cli/default_paths.hpp"

namespace orch::host {
namespace {

Result<CliOptions> parse(std::vector<std::string_view> args) {
    return parse_cli(args);
}

TEST(ParseCli, DefaultsToLoopbackServingWithInstallRelativeDirs) {
    const auto p = parse({});
    ASSERT_TRUE(p.has_value()) << p.error();
    EXPECT_EQ(p->listen, "127.0.0.1:8765");
    EXPECT_FALSE(p->manifests_dir);
    EXPECT_FALSE(p->plugins_dir);
    EXPECT_FALSE(p->once);
    EXPECT_FALSE(p->help);
}

TEST(ParseCli, ReadsEveryOptionInBothSpellings) {
    const auto p = parse({"--manifests", "/m", "--plugins=/p", "--listen", "0.0.0.0:0", "--once"});
    ASSERT_TRUE(p.has_value()) << p.error();
    EXPECT_EQ(p->manifests_dir, "/m");
    EXPECT_EQ(p->plugins_dir, "/p");
    EXPECT_EQ(p->listen, "0.0.0.0:0");
    EXPECT_TRUE(p->once);
    EXPECT_TRUE(parse({"--help"})->help);
    EXPECT_TRUE(parse({"-h"})->help);
}

TEST(ParseCli, ExplainsEveryMistake) {
    EXPECT_EQ(parse({"--bogus"}).error(), "unknown option '--bogus'");
    EXPECT_EQ(parse({"extra"}).error(),
              "unexpected argument 'extra'; host_stub takes options only");
    EXPECT_EQ(parse({"--listen"}).error(), "option --listen needs a value");
    EXPECT_EQ(parse({"--plugins="}).error(), "option --plugins needs a non-empty value");
    EXPECT_EQ(parse({"--once=yes"}).error(), "option --once takes no value");
    EXPECT_EQ(parse({"--once", "--once"}).error(), "option --once given more than once");
    EXPECT_EQ(parse({"--listen=a:1", "--listen", "b:2"}).error(),
              "option --listen given more than once");
    EXPECT_FALSE(parse({"--bogus"}).has_value());
}

TEST(ParseCli, UsageNamesEveryOption) {
    const std::string usage = usage_text("host_stub");
    for (const char* option : {"--manifests DIR", "--plugins DIR", "--listen HOST:PORT", "--once",
                               "--help", "listening on HOST:PORT"}) {
        EXPECT_NE(usage.find(option), std::string::npos) << option;
    }
}

TEST(DefaultPaths, AreRelativeToTheInstallPrefix) {
    const auto paths = default_paths("/opt/orch/bin/host_stub");
    EXPECT_EQ(paths.manifests, std::filesystem::path("/opt/orch") / ORCH_TEST_MANIFEST_INSTALL_DIR);
    EXPECT_EQ(paths.plugins, std::filesystem::path("/opt/orch") / ORCH_TEST_PLUGIN_INSTALL_DIR);
}

TEST(DefaultPaths, FollowTheLayoutOfARelocatableTreeAndOfThePackages) {
    struct Row {
        std::string executable;
        InstallLayout layout;
        std::string manifests;
        std::string plugins;
    };
    for (const Row& row : {
             // cmake --install --prefix P: everything under P.
             Row{"/opt/orch/bin/host_stub",
                 {"bin", "etc/orchestrator/manifests", "lib/orchestrator/plugins"},
                 "/opt/orch/etc/orchestrator/manifests",
                 "/opt/orch/lib/orchestrator/plugins"},
             // The Debian packages (prefix /usr): the sysconfdir is /etc, libdir multiarch.
             Row{"/usr/bin/host_stub",
                 {"bin", "/etc/orchestrator/manifests",
                  "lib/x86_64-linux-gnu/orchestrator/plugins"},
                 "/etc/orchestrator/manifests",
                 "/usr/lib/x86_64-linux-gnu/orchestrator/plugins"},
             // A deeper bin dir climbs as many levels.
             Row{"/p/libexec/orch/host_stub",
                 {"libexec/orch", "etc/m", "lib/p"},
                 "/p/etc/m",
                 "/p/lib/p"},
         }) {
        const HostPaths paths = default_paths(row.executable, row.layout);
        EXPECT_EQ(paths.manifests, row.manifests) << row.executable;
        EXPECT_EQ(paths.plugins, row.plugins) << row.executable;
    }
}

TEST(DefaultPaths, CurrentExecutableIsThisTest) {
    const auto exe = current_executable();
    ASSERT_TRUE(exe);
    EXPECT_EQ(exe->filename(), "host_unit_tests");
}

}  // namespace
}  // namespace orch::host
