#include "core/fleet.hpp"

#include <exception>
#include <map>
#include <string_view>

#include "core/shell_quote.hpp"
#include "core/ssh_target.hpp"
#include "core/text.hpp"

namespace orch::pruner {

namespace {

constexpr std::string_view kEnvList = "ORCH_DEPLOY_SSH_HOSTS";
constexpr std::string_view kManifestList = "deploy_ssh_hosts";

// Whether a manifest value counts as set (see config.hpp: empty means "not set at this layer").
bool manifest_value_set(const boost::json::value& v) {
    if (v.is_null()) {
        return false;
    }
    if (const auto* s = v.if_string()) {
        return !trim(*s).empty();
    }
    if (const auto* a = v.if_array()) {
        return !a->empty();
    }
    return true;  // any other type is set, and refused by the parser with an error
}

// The status key of a valid target: see FleetHost::key.
std::string key_of(const std::string& target, std::optional<int> port) {
    if (!port) {
        return target;
    }
    const std::size_t at = target.find('@');
    const std::size_t host_begin = at == std::string::npos ? 0 : at + 1;
    const bool ipv6 = target.find(':', host_begin) != std::string::npos;
    std::string key = target.substr(0, host_begin);
    key += ipv6 ? "[" + target.substr(host_begin) + "]" : target.substr(host_begin);
    key += ":" + std::to_string(*port);
    return key;
}

// The identity used to find duplicates: the key with the host part lower-cased.
std::string identity_of(const std::string& key) {
    const std::size_t at = key.find('@');
    const std::size_t host_begin = at == std::string::npos ? 0 : at + 1;
    return key.substr(0, host_begin) + ascii_lower(std::string_view(key).substr(host_begin));
}

FleetHost resolve_host(const HostListEntry& entry, const PrunerConfig& config,
                       std::string_view source) {
    FleetHost host;
    host.position = entry.position;
    host.spec = entry.spec;
    const auto invalid = [&](std::string error) {
        host.key = "invalid entry " + std::to_string(entry.position);
        host.error = std::move(error);
        return host;
    };
    if (!entry.problem.empty()) {
        return invalid(entry.problem);
    }
    const std::string& user = entry.spec.user ? *entry.spec.user : config.ssh_user;
    const Result<std::string> target = make_ssh_target(entry.spec.host, user);
    if (!target) {
        return invalid(std::string(source) + " entry " + std::to_string(entry.position) + ": " +
                       target.error());
    }
    SshOptions ssh;
    ssh.target = *target;
    ssh.port = entry.spec.port ? entry.spec.port : config.ssh_port;
    ssh.identity_file =
        entry.spec.identity_file ? entry.spec.identity_file : config.ssh_identity_file;
    ssh.known_hosts_file =
        entry.spec.known_hosts_file ? entry.spec.known_hosts_file : config.ssh_known_hosts_file;
    ssh.strict_host_key = config.strict_host_key;
    host.key = key_of(ssh.target, ssh.port);
    host.ssh = std::move(ssh);
    return host;
}

Fleet build(const boost::json::object& manifest_config, const Environment& env,
            const PrunerConfig& config) {
    Fleet fleet;
    HostList list;
    const auto env_found = env.find(std::string(kEnvList));
    const auto* manifest_value = manifest_config.if_contains(kManifestList);
    if (env_found != env.end() && !trim(env_found->second).empty()) {
        fleet.source = "environment " + std::string(kEnvList);
        list = parse_env_host_list(env_found->second);
    } else if (manifest_value != nullptr && manifest_value_set(*manifest_value)) {
        fleet.source = "manifest config key " + std::string(kManifestList);
        list = parse_manifest_host_list(*manifest_value);
    } else if (!config.ssh_host.empty()) {
        fleet.source = "deploy_ssh_host";
        HostListEntry single;
        single.position = 1;
        single.spec.host = config.ssh_host;
        fleet.hosts.push_back(resolve_host(single, config, "deploy_ssh_host"));
        // The single host's error reads as today's, without an "entry 1" in it.
        if (!fleet.hosts.back().ssh) {
            fleet.hosts.back().error = make_ssh_target(config.ssh_host, config.ssh_user).error();
        }
        return fleet;
    } else {
        return fleet;  // no host: ticks are no-ops, as today
    }

    fleet.warnings = std::move(list.warnings);
    if (!config.ssh_host.empty()) {
        fleet.warnings.push_back("both ORCH_DEPLOY_SSH_HOST/deploy_ssh_host (" +
                                 quote_for_message(config.ssh_host) + ") and " + fleet.source +
                                 " are set: the list wins and the single host is not used");
    }
    if (!list.error.empty()) {
        fleet.error = std::move(list.error);
        return fleet;
    }
    const std::string_view source = env_found != env.end() && !trim(env_found->second).empty()
                                        ? std::string_view("ORCH_DEPLOY_SSH_HOSTS")
                                        : std::string_view("deploy_ssh_hosts");
    std::map<std::string, std::size_t> first_position;  // identity -> where it first appeared
    fleet.hosts.reserve(list.entries.size());
    std::size_t duplicates = 0;
    for (const HostListEntry& entry : list.entries) {
        FleetHost host = resolve_host(entry, config, source);
        if (host.ssh) {
            const std::string identity = identity_of(host.key);
            const auto [first, inserted] = first_position.emplace(identity, entry.position);
            if (!inserted) {
                ++duplicates;
                if (duplicates <= 8) {
                    fleet.warnings.push_back(
                        std::string(source) + " entry " + std::to_string(entry.position) + " (" +
                        quote_for_message(host.key) + ") is the same host as entry " +
                        std::to_string(first->second) +
                        " and was dropped (the first entry's settings are used)");
                }
                continue;
            }
        }
        fleet.hosts.push_back(std::move(host));
    }
    if (duplicates > 8) {
        fleet.warnings.push_back(std::to_string(duplicates - 8) + " more duplicate entries in " +
                                 std::string(source) + " were dropped");
    }
    return fleet;
}

Fleet failed(std::string_view what) {
    Fleet fleet;
    fleet.error = "could not resolve the host list (" + std::string(what) + "); no host is pruned";
    return fleet;
}

}  // namespace

Fleet resolve_fleet(const boost::json::object& manifest_config, const Environment& env,
                    const PrunerConfig& config) {
    try {
        return build(manifest_config, env, config);
    } catch (const std::exception& e) {
        return failed(escape_for_message(e.what()));
    } catch (...) {
        return failed("unknown error");
    }
}

}  // namespace orch::pruner
