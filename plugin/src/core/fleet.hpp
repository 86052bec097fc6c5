#pragma once
// Which docker hosts the plugin prunes (issue 11): the host list layers, the single-host key,
// per-host overrides on top of the shared deploy_ssh_* keys, validation and duplicates. Pure.
//
// Design (for the integrator):
// - Call resolve_fleet(manifest_config, env, resolved.config) right after resolve_config; add
//   "deploy_ssh_hosts" / ORCH_DEPLOY_SSH_HOSTS to config.cpp's known keys so it does not warn
//   about them as unknown. Append Fleet::warnings to the config warnings; show Fleet::error as
//   a config error (no host is pruned while it is set).
// - Each FleetHost is one status entry in `hosts`, keyed by FleetHost::key, in list order. A
//   host with an `error` never runs ssh: when due it records "ssh not run: invalid config: " and
//   the error as its last_error; it needs no ssh slot.
// - A valid host's SshOptions are complete except connect_timeout (the task's choice).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/config.hpp"
#include "core/host_list.hpp"
#include "core/prune_command.hpp"

namespace orch::pruner {

struct FleetHost {
    // The status key: the ssh target ("user@host" or "host"), followed by ":<port>" when a port
    // is configured ("[<addr>]:<port>" for an IPv6 address, as ssh's known_hosts writes it);
    // for an invalid entry "invalid entry <position>" (its text is in `error`). Unique.
    std::string key;
    std::size_t position = 0;       // 1-based place in the configured list (1 for the single host)
    HostSpec spec;                  // as configured (overrides only; shared values not merged in)
    std::optional<SshOptions> ssh;  // set exactly when the host is valid
    std::string error;              // set exactly when it is not: names the key, value, why
};

struct Fleet {
    std::vector<FleetHost> hosts;  // in list order; empty = no host configured, or `error`
    std::vector<std::string> warnings;
    std::string error;  // the list was refused as a whole (too long, wrong type): prune nothing
    // Where the hosts came from, for logs: "environment ORCH_DEPLOY_SSH_HOSTS", "manifest config
    // key deploy_ssh_hosts", "deploy_ssh_host" (a fleet of one) or "" (no host configured).
    std::string source;
};

// Layering, mirroring resolve_config: the environment's ORCH_DEPLOY_SSH_HOSTS wins over the
// manifest's deploy_ssh_hosts; an empty or blank value (or JSON null, or []) is "not set" at
// that layer. When no list is set, config.ssh_host (already layered by resolve_config) is a
// fleet of one; when both a list and a single host are set, the list wins with a warning.
//
// Every host goes through make_ssh_target with its user override or config.ssh_user; port,
// identity_file and known_hosts_file likewise fall back to the shared config values, and
// strict_host_key is always shared. An invalid entry is an error for that host only.
//
// Duplicates: two entries are the same host when they reach the same ssh destination, i.e. the
// same user (as resolved, case-sensitive), the same host name compared case-insensitively (ssh
// and DNS ignore case; IPv6 spellings are not canonicalised) and the same port (as resolved;
// "no port" differs from 22, since ssh_config may choose another). The first is kept; each
// later one is dropped with a warning naming both positions (its own overrides are not used).
// Never throws: on an internal error it returns an empty fleet with `error` set.
Fleet resolve_fleet(const boost::json::object& manifest_config, const Environment& env,
                    const PrunerConfig& config);

}  // namespace orch::pruner
