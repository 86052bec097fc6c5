#pragma once
// The one command this plugin ever runs: `docker builder prune` on the docker host, over ssh.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace orch::pruner {

enum class StrictHostKey { kAcceptNew, kYes, kNo };

struct SshOptions {
    std::string target;                      // validated "user@host" / "host"
    std::optional<int> port;                 // -p, only when configured
    std::optional<std::string> identity_file;      // -i (+ IdentitiesOnly=yes)
    std::optional<std::string> known_hosts_file;   // -o UserKnownHostsFile=
    StrictHostKey strict_host_key = StrictHostKey::kAcceptNew;
    std::chrono::seconds connect_timeout{30};
};

// The remote command line, as the remote shell will read it:
// "docker builder prune -f [-a] --filter until=<go duration>" with the filter value quoted.
// `-a` is emitted only together with the until filter (which is always present).
std::string build_remote_command(const std::string& go_duration, bool all);

// Full argv for Poco::Process (argv[0] is "ssh"): BatchMode=yes, ConnectTimeout, the host-key
// policy, optional port/identity/known_hosts, then "--", the target and the remote command.
std::vector<std::string> build_prune_argv(const SshOptions& ssh, const std::string& go_duration,
                                          bool all);

// argv joined for logs and status, each word shell-quoted.
std::string describe_argv(const std::vector<std::string>& argv);

}  // namespace orch::pruner
