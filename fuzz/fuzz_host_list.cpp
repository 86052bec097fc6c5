// The fleet's host list in both forms (issue 11), through resolve_fleet, and the aggregate
// built from the resulting hosts.
// Input: "<ORCH_DEPLOY_SSH_HOSTS text>\0<manifest config JSON>": the text is also given to
// parse_env_host_list alone, the manifest's deploy_ssh_hosts to parse_manifest_host_list, and
// the raw text serves as a hostile error message for the aggregate.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "core/config.hpp"
#include "core/fleet.hpp"
#include "core/fleet_aggregate.hpp"
#include "core/host_list.hpp"
#include "fuzz_check.hpp"

using orch::pruner::fuzz::check;
namespace core = orch::pruner;

namespace {

void check_printable(const std::string& text, const char* what) {
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        check(byte >= 0x20 && byte < 0x7f, what);
    }
}

bool is_valid_one_line_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            return false;
        }
        std::size_t n = 1;
        if (c >= 0x80) {
            if (c < 0xC2 || c > 0xF4) {
                return false;
            }
            n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        }
        if (i + n > s.size()) {
            return false;
        }
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0U) != 0x80U) {
                return false;
            }
        }
        i += n;
    }
    return true;
}

void check_path(const std::optional<std::string>& path) {
    if (path) {
        for (const char c : *path) {
            const auto byte = static_cast<unsigned char>(c);
            check(byte >= 0x20 && byte != 0x7f && c != ' ' && c != '"' && c != '\'' && c != '\\',
                  "paths hold nothing ssh would split on");
        }
    }
}

void check_list(const core::HostList& list) {
    check(list.entries.size() <= core::kMaxFleetHosts, "a list never exceeds the cap");
    check(list.error.empty() || list.entries.empty(), "a refused list has no entries");
    check_printable(list.error, "list errors are printable one-line ASCII");
    for (const auto& warning : list.warnings) {
        check_printable(warning, "list warnings are printable one-line ASCII");
    }
    for (const auto& entry : list.entries) {
        check(entry.position >= 1, "positions count from 1");
        check_printable(entry.problem, "entry problems are printable one-line ASCII");
        if (entry.problem.empty()) {
            check(!entry.spec.host.empty(), "a readable entry names a host");
            check(!entry.spec.port || (*entry.spec.port >= 1 && *entry.spec.port <= 65535),
                  "per-host port in range");
            check_path(entry.spec.identity_file);
            check_path(entry.spec.known_hosts_file);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\0');
    const std::string_view env_text = input.substr(0, split);
    const std::string_view json_text =
        split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

    const core::HostList env_list = core::parse_env_host_list(env_text);
    check_list(env_list);
    for (const auto& entry : env_list.entries) {
        check(entry.spec.host.find_first_of(", \t\n\r\v\f") == std::string::npos,
              "environment names hold no separator");
    }

    boost::json::error_code ec;
    const boost::json::value manifest = boost::json::parse(json_text, ec);
    const boost::json::object empty;
    const boost::json::object& object =
        (!ec && manifest.is_object()) ? manifest.get_object() : empty;
    if (const auto* hosts = object.if_contains("deploy_ssh_hosts")) {
        check_list(core::parse_manifest_host_list(*hosts));
    }

    core::Environment env;
    if (!env_text.empty()) {
        env["ORCH_DEPLOY_SSH_HOSTS"] = std::string(env_text);
    }
    const core::ResolvedConfig resolved = core::resolve_config(object, env);
    const core::Fleet fleet = core::resolve_fleet(object, env, resolved.config);

    check(fleet.hosts.size() <= core::kMaxFleetHosts, "a fleet never exceeds the cap");
    check(fleet.error.empty() || fleet.hosts.empty(), "a refused fleet prunes nothing");
    check_printable(fleet.error, "fleet errors are printable one-line ASCII");
    for (const auto& warning : fleet.warnings) {
        check_printable(warning, "fleet warnings are printable one-line ASCII");
    }
    std::set<std::string> keys;
    std::vector<core::HostOutcome> outcomes;
    std::vector<core::RoundReclaim> reclaims;
    for (std::size_t i = 0; i < fleet.hosts.size(); ++i) {
        const core::FleetHost& host = fleet.hosts[i];
        check(keys.insert(host.key).second, "host keys are unique");
        check(!host.key.empty(), "host keys are not empty");
        check_printable(host.key, "host keys are printable one-line ASCII");
        check(host.ssh.has_value() == host.error.empty(), "a host has ssh options xor an error");
        check_printable(host.error, "host errors are printable one-line ASCII");
        if (host.ssh) {
            const core::SshOptions& ssh = *host.ssh;
            check(!ssh.target.empty() && ssh.target.front() != '-',
                  "a target never reads as an ssh option");
            check(ssh.target.find_first_of(" \t\n\r;&|`$'\"\\") == std::string::npos,
                  "a target holds no whitespace or shell metacharacter");
            check(!ssh.port || (*ssh.port >= 1 && *ssh.port <= 65535), "port in range");
            check_path(ssh.identity_file);
            check_path(ssh.known_hosts_file);
        }
        // Hostile error text and sizes for the aggregate.
        core::HostOutcome outcome;
        outcome.key = host.key;
        outcome.last_run_ts = static_cast<double>(i);
        if (i % 2 == 1) {
            outcome.last_error = host.error.empty() ? std::string(env_text) : host.error;
        }
        outcome.last_reclaimed_bytes = std::uint64_t{1} << (i % 64);
        outcomes.push_back(std::move(outcome));
        reclaims.push_back({host.key, std::uint64_t{1} << (i % 64)});
    }
    const core::FleetAggregate aggregate = core::aggregate_fleet(outcomes);
    check(aggregate.hosts_total == outcomes.size(), "hosts_total");
    if (aggregate.last_error && outcomes.size() > 1) {
        check(aggregate.last_error->size() <= core::kMaxFleetErrorBytes, "summary is bounded");
        check(is_valid_one_line_utf8(*aggregate.last_error), "summary is one-line UTF-8");
    }
    if (const auto text = core::round_notification_text(reclaims, resolved.config.until)) {
        check(text->size() <= core::kMaxRoundNotificationBytes, "notification is bounded");
        check(is_valid_one_line_utf8(*text), "notification is one-line UTF-8");
    }
    return 0;
}
