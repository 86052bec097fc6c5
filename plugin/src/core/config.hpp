#pragma once
// The pruner's configuration: defaults < manifest "config" object < environment.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/byte_size.hpp"
#include "core/prune_command.hpp"

namespace orch::pruner {

using Environment = std::map<std::string, std::string>;

// Upper bounds that keep every duration far inside what the clocks and ssh can represent.
inline constexpr long long kMaxIntervalSeconds = 31'536'000;  // 365 days
inline constexpr long long kMaxTimeoutSeconds = 86'400;       // 1 day
// Seconds between space probes (issue 10).
inline constexpr long long kMinCheckIntervalSeconds = 5;
inline constexpr long long kMaxCheckIntervalSeconds = 86'400;
inline constexpr long long kMaxParallelism = 64;

// What an ssh file path setting may be (identity and known_hosts files, shared or per host).
inline constexpr std::string_view kSshPathExpected =
    "expected a file path without whitespace, quotes, backslashes or control characters (ssh "
    "splits option values on them)";

struct PrunerConfig {
    bool enabled = true;
    long long interval_s = 21600;    // 1 .. kMaxIntervalSeconds
    std::string until_text = "24h";  // as configured (by the layer whose value was used)
    std::string until = "24h";       // normalised Go duration sent to docker
    bool all = false;
    long long timeout_s = 600;   // 1 .. kMaxTimeoutSeconds
    double notify_min_gb = 0.0;  // >= 0; 0 = notifications off
    // Not validated here: the task passes them to make_ssh_target before every run, so an
    // invalid target is a recorded error and ssh never runs. (Falling back to another layer's
    // host would prune a machine the operator did not name.)
    std::string ssh_host;         // empty = no target: ticks are no-ops
    std::string ssh_user;         // empty = ssh chooses (ssh_config User, else the local user)
    std::optional<int> ssh_port;  // 1 .. 65535
    // No whitespace, quotes, backslashes or control characters (ssh splits option values).
    std::optional<std::string> ssh_identity_file;
    std::optional<std::string> ssh_known_hosts_file;
    StrictHostKey strict_host_key = StrictHostKey::kAcceptNew;
    // Issue 10: the space budget (space_policy.hpp). With min_free and max_cache both off no
    // probe runs and the task behaves as the original.
    ByteSize min_free{ByteSize::Kind::kPercent, 0, 10'000};  // 10%
    ByteSize max_cache;                                      // off
    ByteSize reserved;                                       // off = 0
    long long check_interval_s = 300;  // kMinCheckIntervalSeconds .. kMaxCheckIntervalSeconds
    bool dry_run = false;              // never prune; preview what a prune would free
    // Issue 11: the fleet (the host list itself is core/fleet.hpp's).
    long long parallelism = 4;  // at most this many ssh sessions at once: 1 .. kMaxParallelism
    long long stagger_s = 0;    // first attempts spread over this many seconds (core/stagger)

    friend bool operator==(const PrunerConfig&, const PrunerConfig&) = default;
};

struct ResolvedConfig {
    PrunerConfig config;
    // Each names the source ("manifest config key build_cache_prune_until" or "environment
    // ORCH_BUILD_CACHE_PRUNE_UNTIL"), the value, what was expected and the value used instead.
    // Also: unknown manifest keys, unknown ORCH_BUILD_CACHE_PRUNE_* variables, and always
    // StrictHostKeyChecking=no.
    std::vector<std::string> warnings;
    // A problem that disables the task (config.enabled is then false): an unparseable kill
    // switch (ORCH_BUILD_CACHE_PRUNE_ENABLED / build_cache_prune_enabled) fails closed. Names
    // the source, the value and what was expected.
    std::optional<std::string> error;
};

// Settings and their environment variables:
//   enabled  ORCH_BUILD_CACHE_PRUNE_ENABLED   bool     interval ORCH_BUILD_CACHE_PRUNE_INTERVAL_S
//   until    ORCH_BUILD_CACHE_PRUNE_UNTIL     all      ORCH_BUILD_CACHE_PRUNE_ALL (bool)
//   timeout  ORCH_BUILD_CACHE_PRUNE_TIMEOUT_S notify   ORCH_BUILD_CACHE_PRUNE_NOTIFY_MIN_GB
//   min_free ORCH_BUILD_CACHE_PRUNE_MIN_FREE  max_cache ORCH_BUILD_CACHE_PRUNE_MAX_CACHE
//   reserved ORCH_BUILD_CACHE_PRUNE_RESERVED  check    ORCH_BUILD_CACHE_PRUNE_CHECK_INTERVAL_S
//   dry_run  ORCH_BUILD_CACHE_PRUNE_DRY_RUN (bool)
//   parallelism ORCH_BUILD_CACHE_PRUNE_PARALLELISM   stagger ORCH_BUILD_CACHE_PRUNE_STAGGER_S
//   ORCH_DEPLOY_SSH_HOST, _USER, _PORT, _IDENTITY_FILE, _KNOWN_HOSTS_FILE, _STRICT_HOST_KEY
// Manifest keys are the environment names lower-cased without the "orch_" prefix, e.g.
// ORCH_BUILD_CACHE_PRUNE_UNTIL <-> build_cache_prune_until. The host list
// (ORCH_DEPLOY_SSH_HOSTS / deploy_ssh_hosts) is read by resolve_fleet (fleet.hpp); it is a
// known key here, never warned about.
//
// Rules:
// - A layer's value that is invalid is ignored with a warning: the lower layer's value (or the
//   default) stays.
// - An empty or whitespace-only value, in either layer, means "not set at this layer" (so
//   `ORCH_DEPLOY_SSH_HOST=` in an env file does not clear a manifest host).
// - Manifest values may be JSON booleans, numbers or strings ("true", "600"); booleans also
//   accept 1/0, and in text 1/0, true/false, t/f, yes/no, y/n, on/off (any case; see
//   parse_bool_word). Text read as a boolean, number or host-key policy is trimmed; host and
//   user are trimmed with a warning (as the original's .strip()); until and paths are taken
//   as written.
// - The kill switch fails closed: an unparseable enabled value, at any layer, disables the
//   task and sets ResolvedConfig::error (every other invalid value only warns).
// - min_free, max_cache, reserved: see parse_byte_size (only min_free takes a percentage); a
//   manifest may also give a whole number of bytes as a number. "0" turns each off.
// - until: see normalize_until; a manifest may also give a whole number of seconds as a number.
// - Strict host-key checking "no" is only ever used when set explicitly, and always warns.
// Never throws: on an internal error (memory) it returns the defaults with a warning.
ResolvedConfig resolve_config(const boost::json::object& manifest_config, const Environment& env);

// The process environment as an Environment (reads `environ`; the only I/O in the core).
Environment current_environment();

}  // namespace orch::pruner
