// `cmake --install <build> --prefix P` and the installed host_stub run with no arguments: the
// layout the README promises and the defaults compiled into the binary must agree.
#include <gtest/gtest.h>

#include <csignal>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "host/support/host_process.hpp"
#include "support/temp_dir.hpp"

namespace orch::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Nothing of the developer's environment may point the plugin at a real host.
const std::map<std::string, std::string> kCleanEnv{{"ORCH_DEPLOY_SSH_HOST", ""},
                                                   {"ORCH_BUILD_CACHE_PRUNE_ENABLED", ""},
                                                   {"ORCH_TELEGRAM_BOT_TOKEN", ""}};

class InstalledHostTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        HostProcess install(ORCH_TEST_CMAKE,
                            {"--install", ORCH_TEST_BUILD_DIR, "--prefix", prefix().string()},
                            dir_->path() / "install.log");
        const auto out = install.read_stdout_to_eof(120s);
        install_status_ = install.wait_exit(120s).value_or(-1);
        install_log_ = out.value_or("") + install.stderr_text();
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static fs::path prefix() { return dir_->path() / "prefix"; }

    void SetUp() override { ASSERT_EQ(install_status_, 0) << install_log_; }

    static TempDir* dir_;
    static int install_status_;
    static std::string install_log_;
};

TempDir* InstalledHostTest::dir_ = nullptr;
int InstalledHostTest::install_status_ = -1;
std::string InstalledHostTest::install_log_;

TEST_F(InstalledHostTest, LaysOutBinaryPluginAndManifest) {
    EXPECT_TRUE(fs::is_regular_file(prefix() / "bin/host_stub"));
    EXPECT_TRUE(
        fs::is_regular_file(prefix() / ORCH_TEST_PLUGIN_INSTALL_DIR / "libbuild_cache_pruner.so"));
    EXPECT_TRUE(
        fs::is_regular_file(prefix() / ORCH_TEST_MANIFEST_INSTALL_DIR / "build_cache_pruner.json"));
}

TEST_F(InstalledHostTest, OnceWithNoArgumentsRunsTheBundledPlugin) {
    HostProcess host(prefix() / "bin/host_stub", {"--once"}, dir_->path() / "once.log", kCleanEnv);
    const auto out = host.read_stdout_to_eof();
    ASSERT_EQ(host.wait_exit(), 0) << host.stderr_text();
    ASSERT_TRUE(out);
    const json::value queue = json::parse(*out);
    EXPECT_EQ(queue.at("plugins").at(0).at("state"), "loaded") << *out;
    EXPECT_EQ(queue.at("build_cache_prune").at("enabled"), true);
    EXPECT_NE(json::serialize(queue.at("build_cache_prune").at("last_error")).find("no ssh host"),
              std::string::npos);
    EXPECT_NE(host.stderr_text().find("manifests from " +
                                      (prefix() / ORCH_TEST_MANIFEST_INSTALL_DIR).string()),
              std::string::npos)
        << host.stderr_text();
}

TEST_F(InstalledHostTest, ServesWithOnlyAListenAddress) {
    HostProcess host(prefix() / "bin/host_stub", {"--listen", "127.0.0.1:0"},
                     dir_->path() / "serve.log", kCleanEnv);
    const auto line = host.read_stdout_line();
    const auto port = line ? listening_port(*line) : std::nullopt;
    ASSERT_TRUE(port) << host.stderr_text();
    const HttpResponse r = http_request(*port, "GET", "/queue");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body).at("build_cache_prune").at("enabled"), true) << r.body;
    host.send_signal(SIGTERM);
    EXPECT_EQ(host.wait_exit(), 0);
}

}  // namespace
}  // namespace orch::test
