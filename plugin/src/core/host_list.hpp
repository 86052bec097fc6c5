#pragma once
// The fleet's host list as operators write it (issue 11), read but not yet validated as ssh
// targets: resolve_fleet (fleet.hpp) does that, and the layering. Pure.
//
// Design: an entry that cannot be read is kept, in its place, with its problem, so the operator
// sees it in that host's status; it never stops the other entries. Only a list too long to
// handle (kMaxFleetHosts) or of the wrong JSON type is refused as a whole, with an error that
// says so: a fleet is never truncated silently.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace orch::pruner {

// More entries than this and the list is refused as a whole (HostList::error). Issue 11 needs
// 1000 hosts to work; 4096 leaves room while keeping status, memory and the per-tick scheduling
// bounded.
inline constexpr std::size_t kMaxFleetHosts = 4096;
// A per-host path longer than this is an entry problem (PATH_MAX on Linux).
inline constexpr std::size_t kMaxSshPathBytes = 4096;

// One host as configured: the host name and the per-host overrides of the shared deploy_ssh_*
// keys (nullopt = use the shared value). Nothing here is validated as an ssh target yet.
struct HostSpec {
    std::string host;
    std::optional<std::string> user;
    std::optional<int> port;  // 1 .. 65535 when set
    std::optional<std::string> identity_file;
    std::optional<std::string> known_hosts_file;

    friend bool operator==(const HostSpec&, const HostSpec&) = default;
};

struct HostListEntry {
    std::size_t position = 0;  // 1-based place in the list, as the operator counts
    HostSpec spec;             // as far as it could be read
    std::string problem;       // empty when readable; else names the key, entry, value, expectation
};

struct HostList {
    std::vector<HostListEntry> entries;  // in list order; empty when `error` is set
    std::vector<std::string> warnings;   // e.g. unknown keys in a host object
    std::string error;                   // the whole list was refused (too long, wrong type)
};

// ORCH_DEPLOY_SSH_HOSTS: host names separated by commas and/or whitespace (runs of separators,
// and separators at either end, are one separator: "a, b,,c " is a, b, c). No per-host
// overrides in this form. An empty or blank text gives no entries and no error.
HostList parse_env_host_list(std::string_view text);

// deploy_ssh_hosts: a JSON array whose items are a host string or an object
// {"host", "user", "port", "identity_file", "known_hosts_file"}. An override that is null, ""
// or blank means "not set" (the shared key applies), like an empty value anywhere in the config.
// Overrides are read by the same rules as the shared keys (see resolve_config): port as a JSON
// integer or decimal text 1..65535, paths without whitespace, quotes, backslashes or control
// characters; a host or user with surrounding whitespace is stripped with a warning, like
// deploy_ssh_host / deploy_ssh_user. An invalid override is a problem for that entry (never a
// silent fall-back to the shared value: that could reach a machine the operator did not name).
// Unknown keys are warnings. A JSON string is read as the environment form (so "a, b" works in a
// manifest too).
HostList parse_manifest_host_list(const boost::json::value& value);

}  // namespace orch::pruner
