#pragma once
// The one command this plugin ever runs: `docker builder prune` on the docker host, over ssh.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace orch::pruner {

enum class StrictHostKey { kAcceptNew, kYes, kNo };

// Text for StrictHostKeyChecking: "accept-new", "yes" or "no".
const char* to_string(StrictHostKey policy);

// Everything here comes from resolve_config / make_ssh_target, which validated it: the target
// cannot start with '-' and the paths hold no whitespace, quotes or control characters (ssh
// splits -o values on them).
struct SshOptions {
    std::string target;                           // validated "user@host" / "host"
    std::optional<int> port;                      // -p, only when configured
    std::optional<std::string> identity_file;     // -i (+ IdentitiesOnly=yes)
    std::optional<std::string> known_hosts_file;  // -o UserKnownHostsFile=
    StrictHostKey strict_host_key = StrictHostKey::kAcceptNew;
    std::chrono::seconds connect_timeout{30};
};

// The remote command line, as the remote shell will read it:
// "docker builder prune -f [-a] --filter until=<go duration>" with the filter value shell-quoted
// (a validated duration needs no quotes; anything else could still not escape the word).
// `-a` is emitted only together with the until filter (which is always present).
std::string build_remote_command(const std::string& go_duration, bool all);

// Full argv for Poco::Process (argv[0] is "ssh"):
//   ssh -o BatchMode=yes -o ConnectTimeout=<s> -o StrictHostKeyChecking=<policy>
//       [-p <port>] [-i <identity> -o IdentitiesOnly=yes] [-o UserKnownHostsFile=<path>]
//       -n -- <target> <remote command>
// BatchMode: never a password/passphrase prompt. -n: stdin from /dev/null, so ssh never reads
// ours. "--" ends ssh's options, a second guard (after make_ssh_target) against a target that
// would read as one.
std::vector<std::string> build_prune_argv(const SshOptions& ssh, const std::string& go_duration,
                                          bool all);

// The same ssh argv around any fixed remote command (the probe, the pressure prune, the preview:
// space_commands.hpp). build_prune_argv is build_ssh_argv(ssh, build_remote_command(...)).
std::vector<std::string> build_ssh_argv(const SshOptions& ssh, std::string remote_command);

// argv joined with spaces for logs and status, each word shell-quoted (copy-pasteable).
std::string describe_argv(const std::vector<std::string>& argv);

}  // namespace orch::pruner
