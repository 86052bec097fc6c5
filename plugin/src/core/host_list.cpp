#include "core/host_list.hpp"

#include <exception>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/config.hpp"
#include "core/shell_quote.hpp"
#include "core/text.hpp"

namespace orch::pruner {

namespace {

namespace json = boost::json;

constexpr std::string_view kEnvName = "ORCH_DEPLOY_SSH_HOSTS";
constexpr std::string_view kManifestKey = "deploy_ssh_hosts";
// Warnings are for people: past this many, the rest are counted, not listed.
constexpr std::size_t kMaxWarnings = 32;
constexpr std::size_t kMaxShownKeyBytes = 60;

constexpr std::string_view kItemExpected =
    "expected a host name string or an object {\"host\", \"user\", \"port\", \"identity_file\", "
    "\"known_hosts_file\"}";
constexpr std::string_view kPortExpected = "expected a whole number from 1 to 65535";

// Between the names of the environment form: commas and ASCII whitespace.
constexpr std::string_view kSeparators = ", \t\n\r\v\f";

std::string too_long_error(std::string_view source) {
    return std::string(source) + " has more than " + std::to_string(kMaxFleetHosts) +
           " entries, the most hosts supported: the list is refused and no host is pruned until "
           "it is shortened";
}

// A short, printable rendering of a JSON value for a message.
std::string display(const json::value& v) {
    if (const auto* s = v.if_string()) {
        return quote_for_message(*s);
    }
    if (v.is_array()) {
        return "(a JSON array)";
    }
    if (v.is_object()) {
        return "(a JSON object)";
    }
    return escape_for_message(json::serialize(v));  // null, a boolean or a number: short
}

class WarningList {
  public:
    explicit WarningList(std::vector<std::string>& out) : out_(out) {}
    void add(std::string warning) {
        if (out_.size() < kMaxWarnings) {
            out_.push_back(std::move(warning));
        } else {
            ++dropped_;
        }
    }
    // Appends the count of the warnings left out; call once, before the list is returned.
    void finish() {
        if (dropped_ > 0) {
            out_.push_back("... and " + std::to_string(dropped_) +
                           " more host-list warnings like the ones above");
        }
    }

  private:
    std::vector<std::string>& out_;
    std::size_t dropped_ = 0;
};

// Whether a value is set at this layer, as resolve_config sees it: not null, not a blank
// string (config.hpp: empty means "not set").
bool is_set(const json::value& value) {
    return !value.is_null() && !(value.is_string() && trim(value.get_string()).empty());
}

// Reads one per-host override with the rules of the shared key of the same name, by giving it
// to resolve_config as a one-key manifest: one reader per rule (the config's), so a per-host
// user, port or path is accepted exactly when the shared one would be. Call only for a set
// value: the override is invalid exactly when the config field stays unset (the config's
// warnings say why for the shared key; the caller words its own, naming the entry).
PrunerConfig read_override(std::string_view shared_key, const json::value& value) {
    json::object one;
    one[shared_key] = value;
    return resolve_config(one, Environment{}).config;
}

// A host or user as the config reads the single ones: surrounding whitespace removed with a
// warning (as the original's .strip()); inner whitespace stays for make_ssh_target to refuse.
std::string stripped(std::string_view text, const std::string& what, WarningList& warnings) {
    const std::string_view trimmed = trim(text);
    if (trimmed.size() != text.size()) {
        warnings.add(what + " " + quote_for_message(text) +
                     " has surrounding whitespace, which was removed; using " +
                     quote_for_message(trimmed));
    }
    return std::string(trimmed);
}

// Reads a host object into `entry`; returns the first problem (empty when readable).
std::string read_host_object(const json::object& object, const std::string& name,
                             HostListEntry& entry, WarningList& warnings) {
    std::string problem;
    const auto note = [&](std::string text) {
        if (problem.empty()) {
            problem = std::move(text);
        }
    };
    const auto* host = object.if_contains("host");
    if (host == nullptr || !host->is_string() || trim(host->get_string()).empty()) {
        note(name + ": " +
             (host == nullptr ? std::string("has no \"host\"") : "\"host\" is " + display(*host)) +
             "; expected \"host\": a host name string");
    } else {
        entry.spec.host = stripped(host->get_string(), name + " \"host\"", warnings);
    }
    for (const auto& field : object) {
        const std::string_view key = field.key();
        const json::value& value = field.value();
        const auto invalid = [&](std::string_view expected) {
            note(name + " (" + quote_for_message(entry.spec.host) + "): \"" + std::string(key) +
                 "\" is " + display(value) + ": " + std::string(expected) +
                 "; ssh is not run for this host (the shared deploy_ssh_" + std::string(key) +
                 " is not used in its place)");
        };
        if (key == "host") {
            continue;
        }
        const bool known =
            key == "user" || key == "port" || key == "identity_file" || key == "known_hosts_file";
        if (known && !is_set(value)) {
            continue;  // the shared key applies
        }
        if (key == "user") {
            const PrunerConfig read = read_override("deploy_ssh_user", value);
            if (read.ssh_user.empty()) {
                invalid("expected a user name string");
            } else {
                entry.spec.user = stripped(value.get_string(), name + " \"user\"", warnings);
            }
        } else if (key == "port") {
            const PrunerConfig read = read_override("deploy_ssh_port", value);
            if (!read.ssh_port) {
                invalid(kPortExpected);
            } else {
                entry.spec.port = read.ssh_port;
            }
        } else if (key == "identity_file" || key == "known_hosts_file") {
            const bool identity = key == "identity_file";
            const PrunerConfig read = read_override(
                identity ? "deploy_ssh_identity_file" : "deploy_ssh_known_hosts_file", value);
            const auto& path = identity ? read.ssh_identity_file : read.ssh_known_hosts_file;
            if (!path || path->size() > kMaxSshPathBytes) {
                invalid(std::string(kSshPathExpected) + ", at most " +
                        std::to_string(kMaxSshPathBytes) + " bytes");
            } else if (identity) {
                entry.spec.identity_file = path;
            } else {
                entry.spec.known_hosts_file = path;
            }
        } else {
            warnings.add(name + ": unknown key " + quote_for_message(key, kMaxShownKeyBytes) +
                         " was ignored; known keys: host, user, port, identity_file, "
                         "known_hosts_file");
        }
    }
    return problem;
}

// The environment form's entries; `source` names where the text came from.
HostList parse_names(std::string_view text, std::string_view source) {
    const std::vector<std::string_view> names = split_words(text, kSeparators, kMaxFleetHosts + 1);
    if (names.size() > kMaxFleetHosts) {
        return HostList{{}, {}, too_long_error(source)};
    }
    HostList list;
    for (const std::string_view name : names) {
        HostListEntry entry;
        entry.position = list.entries.size() + 1;
        entry.spec.host = std::string(name);
        list.entries.push_back(std::move(entry));
    }
    return list;
}

HostList parse_manifest(const json::value& value) {
    if (const auto* text = value.if_string()) {
        return parse_names(*text, "manifest config key " + std::string(kManifestKey));
    }
    const auto* array = value.if_array();
    if (array == nullptr) {
        return HostList{{},
                        {},
                        "manifest config key " + std::string(kManifestKey) + " is " +
                            display(value) + ": " + std::string(kItemExpected) +
                            " in a JSON array (or names separated by commas or whitespace in a "
                            "string); no host is pruned until it is corrected"};
    }
    if (array->size() > kMaxFleetHosts) {
        return HostList{{}, {}, too_long_error("manifest config key deploy_ssh_hosts")};
    }
    HostList list;
    WarningList warnings(list.warnings);
    const std::string source = "manifest config key " + std::string(kManifestKey);
    std::size_t position = 0;
    for (const json::value& item : *array) {
        ++position;
        const std::string name = source + " entry " + std::to_string(position);
        if (const auto* host = item.if_string(); host != nullptr && trim(*host).empty()) {
            warnings.add(name + " is empty and was ignored");
            continue;
        }
        HostListEntry entry;
        entry.position = position;
        if (const auto* host = item.if_string()) {
            entry.spec.host = stripped(*host, name, warnings);
        } else if (const auto* object = item.if_object()) {
            entry.problem = read_host_object(*object, name, entry, warnings);
        } else {
            entry.problem = name + " is " + display(item) + ": " + std::string(kItemExpected);
        }
        list.entries.push_back(std::move(entry));
    }
    warnings.finish();
    return list;
}

HostList refused(std::string_view source, const std::exception* e) {
    return HostList{
        {},
        {},
        "could not read " + std::string(source) + " (" +
            (e != nullptr ? escape_for_message(e->what()) : std::string("unknown error")) +
            "); no host is pruned"};
}

}  // namespace

HostList parse_env_host_list(std::string_view text) {
    try {
        return parse_names(text, "environment " + std::string(kEnvName));
    } catch (const std::exception& e) {
        return refused(kEnvName, &e);
    } catch (...) {
        return refused(kEnvName, nullptr);
    }
}

HostList parse_manifest_host_list(const json::value& value) {
    try {
        return parse_manifest(value);
    } catch (const std::exception& e) {
        return refused(kManifestKey, &e);
    } catch (...) {
        return refused(kManifestKey, nullptr);
    }
}

}  // namespace orch::pruner
