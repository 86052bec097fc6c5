#pragma once
// The pruner's configuration: defaults < manifest "config" object < environment.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/prune_command.hpp"

namespace orch::pruner {

using Environment = std::map<std::string, std::string>;

struct PrunerConfig {
    bool enabled = true;
    long long interval_s = 21600;
    std::string until_text = "24h";   // as configured
    std::string until = "24h";        // normalised Go duration sent to docker
    bool all = false;
    long long timeout_s = 600;
    double notify_min_gb = 0.0;       // 0 = notifications off
    std::string ssh_host;             // empty = no target: ticks are no-ops
    std::string ssh_user;
    std::optional<int> ssh_port;
    std::optional<std::string> ssh_identity_file;
    std::optional<std::string> ssh_known_hosts_file;
    StrictHostKey strict_host_key = StrictHostKey::kAcceptNew;
};

struct ResolvedConfig {
    PrunerConfig config;
    // Each names the source (manifest key or environment variable), the value and what was
    // expected; the setting it concerns fell back to the lower-precedence value.
    std::vector<std::string> warnings;
};

// Manifest keys are the environment names lower-cased without the "orch_" prefix, e.g.
// ORCH_BUILD_CACHE_PRUNE_UNTIL <-> build_cache_prune_until. Unknown manifest keys are warned
// about. Never throws.
ResolvedConfig resolve_config(const boost::json::object& manifest_config, const Environment& env);

// The process environment as an Environment.
Environment current_environment();

// Text for StrictHostKeyChecking.
const char* to_string(StrictHostKey policy);

}  // namespace orch::pruner
