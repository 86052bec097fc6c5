#include "core/prune_target.hpp"

#include <algorithm>

#include "core/ssh_target.hpp"

namespace orch::pruner {

namespace {
constexpr long long kMaxConnectTimeoutS = 30;
}  // namespace

PruneTargetChoice prune_target_for(const PrunerConfig& c) {
    if (c.ssh_host.empty()) {
        return {};
    }
    Result<std::string> target = make_ssh_target(c.ssh_host, c.ssh_user);
    if (!target) {
        return {std::nullopt, target.error()};
    }
    PruneTarget t;
    t.ssh.target = std::move(*target);
    t.ssh.port = c.ssh_port;
    t.ssh.identity_file = c.ssh_identity_file;
    t.ssh.known_hosts_file = c.ssh_known_hosts_file;
    t.ssh.strict_host_key = c.strict_host_key;
    t.ssh.connect_timeout = std::chrono::seconds(std::clamp(c.timeout_s, 1LL, kMaxConnectTimeoutS));
    t.argv = build_prune_argv(t.ssh, c.until, c.all);
    t.command_text = describe_argv(t.argv);
    return {std::move(t), std::nullopt};
}

}  // namespace orch::pruner
