#pragma once
// The host's go/no-go on a plugin descriptor, decided before any plugin object is created.
// Pure: no I/O, no globals, so it is tested exhaustively and shared by every host.
#include <cstring>
#include <string>

#include "orch/plugin_api/descriptor.hpp"

namespace orch::plugin_api {

struct Compatibility {
    bool ok = false;
    std::string reason;  // empty when ok; otherwise names both sides' values
};

namespace detail {
inline std::string str_or_null(const char* s) {
    return s != nullptr ? std::string(s) : "(null)";
}
inline std::string version_of(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}
inline std::string boost_version_text(std::uint32_t v) {
    return std::to_string(v / 100000) + "." + std::to_string(v / 100 % 1000) + "." +
           std::to_string(v % 100);
}
}  // namespace detail

// `plugin` is what the library exported, `host` what the host was built with. Rules: the
// descriptor layout is the host's, the API major is equal, the plugin's minor is not newer than
// the host's, and the C++ ABI and Boost version are equal.
inline Compatibility check_compatibility(const PluginDescriptor& plugin,
                                         const PluginDescriptor& host) {
    using detail::str_or_null;
    using detail::version_of;
    // The size comes first: a descriptor of another layout may be shorter than ours, so no
    // other field is read until the size says they exist. The one place the size is checked.
    if (plugin.struct_size != host.struct_size) {
        return {false, "descriptor is " + std::to_string(plugin.struct_size) +
                           " bytes, host expects " + std::to_string(host.struct_size) +
                           " (built against an incompatible plugin_api header)"};
    }
    const std::string who =
        "plugin '" + str_or_null(plugin.plugin_id) + "' " + str_or_null(plugin.plugin_version);
    const std::string plugin_api = version_of(plugin.api_major, plugin.api_minor);
    const std::string host_api = version_of(host.api_major, host.api_minor);
    if (plugin.api_major != host.api_major) {
        return {false, who + ": plugin API " + plugin_api + ", host API " + host_api +
                           " (major versions differ)"};
    }
    if (plugin.api_minor > host.api_minor) {
        return {false, who + ": plugin API " + plugin_api + " is newer than host API " + host_api +
                           " (plugin minor must be <= host minor)"};
    }
    if (plugin.cxx_abi == nullptr || host.cxx_abi == nullptr ||
        std::strcmp(plugin.cxx_abi, host.cxx_abi) != 0) {
        return {false, who + ": plugin C++ ABI '" + str_or_null(plugin.cxx_abi) +
                           "', host C++ ABI '" + str_or_null(host.cxx_abi) + "'"};
    }
    if (plugin.boost_version != host.boost_version) {
        return {false, who + ": plugin built with Boost " +
                           detail::boost_version_text(plugin.boost_version) + ", host with Boost " +
                           detail::boost_version_text(host.boost_version)};
    }
    if (plugin.plugin_id == nullptr || *plugin.plugin_id == '\0') {
        return {false, who + ": descriptor has no plugin id"};
    }
    return {true, {}};
}

}  // namespace orch::plugin_api
