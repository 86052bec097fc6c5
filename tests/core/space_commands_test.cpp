#include "core/space_commands.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/shell_quote.hpp"
#include "core/space_probe.hpp"

namespace orch::pruner {
namespace {

using Argv = std::vector<std::string>;

// What a real POSIX shell runs for `remote` (as sshd's login shell would), with docker, df and
// sh replaced by functions that print their arguments one per line.
std::vector<std::string> words_in_real_shell(const std::string& remote) {
    const std::string script =
        "docker() { printf 'docker\\n'; printf '%s\\n' \"$@\"; }; "
        "sh() { printf 'sh\\n'; printf '%s\\n' \"$@\"; }; " +
        remote;
    const std::string command = "/bin/sh -c " + shell_quote(script);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    EXPECT_NE(pipe, nullptr);
    std::vector<std::string> words;
    char buffer[1024];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
        std::string line(buffer);
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
        }
        words.push_back(line);
    }
    return words;
}

SshOptions hostile_options() {
    SshOptions ssh;
    ssh.target = "deploy@build-1";
    ssh.port = 2222;
    ssh.identity_file = "/keys/IDFILE;x";  // config validation refuses such paths; argv keeps them
    ssh.known_hosts_file = "/kh/$(KHFILE)";
    ssh.strict_host_key = StrictHostKey::kYes;
    ssh.connect_timeout = std::chrono::seconds(7);
    return ssh;
}

Argv ssh_prefix() {
    return {"ssh",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=7",
            "-o",
            "StrictHostKeyChecking=yes",
            "-p",
            "2222",
            "-i",
            "/keys/IDFILE;x",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "UserKnownHostsFile=/kh/$(KHFILE)",
            "-n",
            "--",
            "deploy@build-1"};
}

TEST(PressureCommand, DigitsOnlyNeverAllNeverUntil) {
    EXPECT_EQ(build_pressure_remote_command(0), "docker builder prune -f --keep-storage 0");
    EXPECT_EQ(build_pressure_remote_command(44'000'000'000),
              "docker builder prune -f --keep-storage 44000000000");
    // docker's keep-storage is an int64.
    EXPECT_EQ(build_pressure_remote_command(std::numeric_limits<std::uint64_t>::max()),
              "docker builder prune -f --keep-storage 9223372036854775807");
    for (const std::uint64_t keep : {0ULL, 1ULL, 123456789ULL}) {
        const std::string remote = build_pressure_remote_command(keep);
        EXPECT_EQ(remote.find(" -a"), std::string::npos);
        EXPECT_EQ(remote.find("until"), std::string::npos);
        EXPECT_EQ(words_in_real_shell(remote),
                  (std::vector<std::string>{"docker", "builder", "prune", "-f", "--keep-storage",
                                            std::to_string(keep)}));
    }
}

TEST(SpaceArgv, SameSshOptionsAsTheAgePrune) {
    const SshOptions ssh = hostile_options();
    Argv expected = ssh_prefix();
    expected.push_back("docker builder prune -f --keep-storage 5");
    EXPECT_EQ(build_pressure_prune_argv(ssh, 5), expected);

    expected.back() = std::string(kProbeRemoteCommand);
    EXPECT_EQ(build_probe_argv(ssh), expected);

    expected.back() = std::string(kPreviewRemoteCommand);
    EXPECT_EQ(build_preview_argv(ssh), expected);

    // The age prune's argv is the same prefix around its own command.
    expected.back() = build_remote_command("24h", true);
    EXPECT_EQ(build_prune_argv(ssh, "24h", true), expected);
    EXPECT_EQ(build_ssh_argv(ssh, "true").back(), "true");
}

TEST(SpaceArgv, NoConfiguredValueReachesTheRemoteCommand) {
    // Only the target precedes the remote command; every configured value is an ssh option
    // word before "--". The remote commands are constants or digits.
    const SshOptions ssh = hostile_options();
    for (const Argv& argv :
         {build_probe_argv(ssh), build_preview_argv(ssh), build_pressure_prune_argv(ssh, 42)}) {
        const std::string& remote = argv.back();
        EXPECT_EQ(argv[argv.size() - 3], "--");
        for (const char* configured : {"deploy", "build-1", "2222", "/keys", "IDFILE", "KHFILE"}) {
            EXPECT_EQ(remote.find(configured), std::string::npos) << configured;
        }
    }
}

TEST(ProbeCommandInARealShell, OneShInvocationWithTheFixedScript) {
    // The login shell passes exactly two words to sh: -c and the script, unexpanded.
    const auto words = words_in_real_shell(std::string(kProbeRemoteCommand));
    ASSERT_EQ(words.size(), 3U);
    EXPECT_EQ(words[0], "sh");
    EXPECT_EQ(words[1], "-c");
    EXPECT_TRUE(words[2].starts_with("LC_ALL=C; export LC_ALL; echo @@root; r=$(docker info"));
    EXPECT_TRUE(words[2].ends_with("echo @@end"));
}

TEST(PreviewCommandInARealShell, TheFormatIsOneWord) {
    EXPECT_EQ(words_in_real_shell(std::string(kPreviewRemoteCommand)),
              (std::vector<std::string>{"docker", "system", "df", "-v", "--format",
                                        "{{json .BuildCache}}"}));
}

}  // namespace
}  // namespace orch::pruner
