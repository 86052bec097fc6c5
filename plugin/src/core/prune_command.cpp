#include "core/prune_command.hpp"

#include <algorithm>
#include <utility>

#include "core/shell_quote.hpp"
#include "core/text.hpp"

namespace orch::pruner {

const char* to_string(StrictHostKey policy) {
    return enum_name<StrictHostKey::kNo>(policy, {"accept-new", "yes", "no"});
}

std::string build_remote_command(const std::string& go_duration, bool all) {
    std::string remote = "docker builder prune -f";
    if (all) {
        remote += " -a";
    }
    remote += " --filter until=" + shell_quote(go_duration);
    return remote;
}

std::vector<std::string> build_prune_argv(const SshOptions& ssh, const std::string& go_duration,
                                          bool all) {
    return build_ssh_argv(ssh, build_remote_command(go_duration, all));
}

std::vector<std::string> build_ssh_argv(const SshOptions& ssh, std::string remote_command) {
    // A zero or negative connect timeout would mean "the system default" (minutes): keep >= 1.
    const auto connect_timeout =
        std::max<std::chrono::seconds::rep>(ssh.connect_timeout.count(), 1);
    std::vector<std::string> argv = {
        "ssh",
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=" + std::to_string(connect_timeout),
        "-o",
        std::string("StrictHostKeyChecking=") + to_string(ssh.strict_host_key),
    };
    if (ssh.port) {
        argv.insert(argv.end(), {"-p", std::to_string(*ssh.port)});
    }
    if (ssh.identity_file) {
        // IdentitiesOnly: use this key, not whatever an agent offers first (MaxAuthTries).
        argv.insert(argv.end(), {"-i", *ssh.identity_file, "-o", "IdentitiesOnly=yes"});
    }
    if (ssh.known_hosts_file) {
        argv.insert(argv.end(), {"-o", "UserKnownHostsFile=" + *ssh.known_hosts_file});
    }
    argv.insert(argv.end(), {"-n", "--", ssh.target, std::move(remote_command)});
    return argv;
}

std::string describe_argv(const std::vector<std::string>& argv) {
    std::string text;
    for (const auto& word : argv) {
        if (!text.empty()) {
            text += ' ';
        }
        text += shell_quote(word);
    }
    return text;
}

}  // namespace orch::pruner
