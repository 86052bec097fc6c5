#include "core/prune_target.hpp"

#include <algorithm>

namespace orch::pruner {

namespace {

constexpr long long kMaxConnectTimeoutS = 30;

PruneTarget target_of(SshOptions ssh, const PrunerConfig& c) {
    PruneTarget t;
    t.ssh = std::move(ssh);
    t.ssh.connect_timeout = std::chrono::seconds(std::clamp(c.timeout_s, 1LL, kMaxConnectTimeoutS));
    t.argv = build_prune_argv(t.ssh, c.until, c.all);
    t.command_text = describe_argv(t.argv);
    return t;
}

}  // namespace

PruneUnits prune_units_for(const Fleet& fleet, const PrunerConfig& config) {
    PruneUnits out;
    if (fleet.hosts.empty()) {
        PruneUnit none;
        if (!fleet.error.empty()) {
            none.error = fleet.error;
        }
        out.units.push_back(std::move(none));
        out.listed = false;
        return out;
    }
    out.units.reserve(fleet.hosts.size());
    for (const FleetHost& host : fleet.hosts) {
        PruneUnit unit;
        unit.key = host.key;
        if (host.ssh) {
            unit.target = target_of(*host.ssh, config);
        } else {
            unit.error = host.error;
        }
        out.units.push_back(std::move(unit));
    }
    return out;
}

}  // namespace orch::pruner
