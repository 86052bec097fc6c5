#include "core/prune_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/shell_quote.hpp"
#include "core/ssh_target.hpp"
#include "core/until.hpp"

namespace orch::pruner {
namespace {

using Argv = std::vector<std::string>;

// The words a real POSIX shell passes to `docker` when it runs `remote` (as sshd's login shell
// would), one per line, with `docker` replaced by a function that only prints its arguments.
std::vector<std::string> docker_words_in_real_shell(const std::string& remote) {
    const std::string script = "docker() { printf '%s\\n' \"$@\"; }; " + remote;
    const std::string command = "/bin/sh -c " + shell_quote(script);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    EXPECT_NE(pipe, nullptr);
    std::vector<std::string> words;
    char buffer[512];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
        std::string line(buffer);
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
        }
        words.push_back(line);
    }
    return words;
}

SshOptions options_for(std::string target) {
    SshOptions ssh;
    ssh.target = std::move(target);
    return ssh;
}

TEST(StrictHostKey, Text) {
    EXPECT_STREQ(to_string(StrictHostKey::kAcceptNew), "accept-new");
    EXPECT_STREQ(to_string(StrictHostKey::kYes), "yes");
    EXPECT_STREQ(to_string(StrictHostKey::kNo), "no");
}

TEST(RemoteCommand, OnlyBuilderPruneWithTheAgeFilter) {
    EXPECT_EQ(build_remote_command("24h", false), "docker builder prune -f --filter until=24h");
    EXPECT_EQ(build_remote_command("168h", true), "docker builder prune -f -a --filter until=168h");
}

TEST(RemoteCommand, AllComesOnlyWithTheFilter) {
    const std::string remote = build_remote_command("1h30m", true);
    EXPECT_NE(remote.find(" -a --filter until=1h30m"), std::string::npos);
    EXPECT_EQ(remote.find("--all"), std::string::npos);
}

TEST(RemoteCommand, AnUnvalidatedValueStillCannotEscapeItsWord) {
    // Validation (normalize_until) is the first guard; quoting is the second.
    EXPECT_EQ(build_remote_command("24h; docker system prune -af", false),
              "docker builder prune -f --filter until='24h; docker system prune -af'");
}

TEST(RemoteCommand, RealShellSeesExactlyTheBuilderPruneWords) {
    const std::vector<std::string> hostile = {
        "24h",
        "24h; docker system prune -af",
        "$(docker image prune -af)",
        "`docker rm x`",
        "24h' && docker restart x '",
        "24h\ndocker system prune -af",
        "a b c",
        "24h|docker image rm x",
        "'",
        "",
        "\\",
        "\"$(id)\"",
    };
    for (const bool all : {false, true}) {
        for (const auto& value : hostile) {
            std::vector<std::string> expected = {"builder", "prune", "-f"};
            if (all) {
                expected.push_back("-a");
            }
            expected.insert(expected.end(), {"--filter", "until=" + value});
            if (value.find('\n') != std::string::npos) {
                // printf prints the multi-line word over several lines; rebuild it.
                auto words = docker_words_in_real_shell(build_remote_command(value, all));
                ASSERT_GE(words.size(), expected.size());
                std::string last = words[expected.size() - 1];
                for (std::size_t i = expected.size(); i < words.size(); ++i) {
                    last += "\n" + words[i];
                }
                words.resize(expected.size());
                words.back() = last;
                EXPECT_EQ(words, expected) << value;
            } else {
                EXPECT_EQ(docker_words_in_real_shell(build_remote_command(value, all)), expected)
                    << value;
            }
        }
    }
}

TEST(PruneArgv, MinimalConfiguration) {
    EXPECT_EQ(build_prune_argv(options_for("root@build-host"), "24h", false),
              (Argv{"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o",
                    "StrictHostKeyChecking=accept-new", "-n", "--", "root@build-host",
                    "docker builder prune -f --filter until=24h"}));
}

TEST(PruneArgv, EveryOptionSet) {
    SshOptions ssh = options_for("deploy@10.0.0.7");
    ssh.port = 2222;
    ssh.identity_file = "/etc/orch/id_ed25519";
    ssh.known_hosts_file = "/etc/orch/known_hosts";
    ssh.strict_host_key = StrictHostKey::kYes;
    ssh.connect_timeout = std::chrono::seconds(5);
    EXPECT_EQ(build_prune_argv(ssh, "168h", true),
              (Argv{"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o",
                    "StrictHostKeyChecking=yes", "-p", "2222", "-i", "/etc/orch/id_ed25519", "-o",
                    "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=/etc/orch/known_hosts", "-n",
                    "--", "deploy@10.0.0.7", "docker builder prune -f -a --filter until=168h"}));
}

TEST(PruneArgv, PortOnly) {
    SshOptions ssh = options_for("::1");
    ssh.port = 22;
    EXPECT_EQ(build_prune_argv(ssh, "90m", false),
              (Argv{"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o",
                    "StrictHostKeyChecking=accept-new", "-p", "22", "-n", "--", "::1",
                    "docker builder prune -f --filter until=90m"}));
}

TEST(PruneArgv, IdentityAndKnownHostsWithExplicitNo) {
    SshOptions ssh = options_for("prod-alias");
    ssh.identity_file = "~/.ssh/pruner";
    ssh.known_hosts_file = "/tmp/kh";
    ssh.strict_host_key = StrictHostKey::kNo;
    EXPECT_EQ(build_prune_argv(ssh, "1h30m", false),
              (Argv{"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o",
                    "StrictHostKeyChecking=no", "-i", "~/.ssh/pruner", "-o", "IdentitiesOnly=yes",
                    "-o", "UserKnownHostsFile=/tmp/kh", "-n", "--", "prod-alias",
                    "docker builder prune -f --filter until=1h30m"}));
}

TEST(PruneArgv, ConnectTimeoutIsNeverZeroOrNegative) {
    SshOptions ssh = options_for("h");
    ssh.connect_timeout = std::chrono::seconds(0);
    EXPECT_EQ(build_prune_argv(ssh, "24h", false)[4], "ConnectTimeout=1");
    ssh.connect_timeout = std::chrono::seconds(-5);
    EXPECT_EQ(build_prune_argv(ssh, "24h", false)[4], "ConnectTimeout=1");
}

TEST(PruneArgv, TargetAndRemoteCommandComeLastAfterDoubleDash) {
    for (const bool all : {false, true}) {
        const Argv argv = build_prune_argv(options_for("u@h"), "24h", all);
        ASSERT_GE(argv.size(), 4U);
        EXPECT_EQ(argv[argv.size() - 4], "-n");
        EXPECT_EQ(argv[argv.size() - 3], "--");
        EXPECT_EQ(argv[argv.size() - 2], "u@h");
        EXPECT_EQ(argv.back().rfind("docker builder prune -f", 0), 0U);
    }
}

TEST(PruneArgv, NoOtherDockerSubcommandCanAppear) {
    // Whatever the settings, the only docker words are builder/prune and its flags.
    const std::vector<std::string> forbidden = {"image",     "system",  "rm",       "rmi",
                                                "restart",   "stop",    "kill",     "volume",
                                                "container", "network", "--volumes"};
    for (const char* until_text : {"24h", "7d", "2w", "3600", "1.5h", "300ms", "5\xc2\xb5s"}) {
        const Result<std::string> until = normalize_until(until_text);
        ASSERT_TRUE(until) << until.error();
        for (const bool all : {false, true}) {
            for (const auto strict :
                 {StrictHostKey::kAcceptNew, StrictHostKey::kYes, StrictHostKey::kNo}) {
                SshOptions ssh = options_for(*make_ssh_target("build-host", "root"));
                ssh.strict_host_key = strict;
                ssh.port = 2200;
                const Argv argv = build_prune_argv(ssh, *until, all);
                const auto docker_words = docker_words_in_real_shell(argv.back());
                ASSERT_GE(docker_words.size(), 5U);
                EXPECT_EQ(docker_words[0], "builder");
                EXPECT_EQ(docker_words[1], "prune");
                for (const auto& word : forbidden) {
                    EXPECT_EQ(std::count(argv.begin(), argv.end(), word), 0) << word;
                    EXPECT_EQ(std::count(docker_words.begin(), docker_words.end(), word), 0)
                        << word;
                }
                EXPECT_EQ(std::count(docker_words.begin(), docker_words.end(), "-a"), all ? 1 : 0);
                EXPECT_EQ(docker_words.back(), "until=" + *until);
            }
        }
    }
}

TEST(DescribeArgv, QuotesEachWordForCopyPaste) {
    const Argv argv = build_prune_argv(options_for("root@h"), "24h", true);
    EXPECT_EQ(describe_argv(argv),
              "ssh -o BatchMode=yes -o ConnectTimeout=30 -o StrictHostKeyChecking=accept-new -n "
              "-- root@h 'docker builder prune -f -a --filter until=24h'");
    EXPECT_EQ(describe_argv({}), "");
    EXPECT_EQ(describe_argv({"a b", "", "it's"}), "'a b' '' 'it'\\''s'");
}

}  // namespace
}  // namespace orch::pruner
