#pragma once
// The descriptor a plugin exports so the host can decide whether to trust the library before it
// creates any object from it. It is a plain C-layout struct of integers and C strings: reading it
// is safe even when the plugin was built against a different C++ standard library or Boost.
#include <cstdint>

#include "orch/plugin_api/abi.hpp"
#include "orch/plugin_api/version.hpp"

namespace orch::plugin_api {

struct PluginDescriptor {
    // sizeof(PluginDescriptor) as the plugin saw it: lets a host detect a plugin built against a
    // descriptor layout it does not know before reading any other field.
    std::uint32_t struct_size;
    std::uint32_t api_major;
    std::uint32_t api_minor;
    std::uint32_t boost_version;
    const char* cxx_abi;
    const char* plugin_id;
    const char* plugin_version;
};

// The descriptor of code built against this very header: plugins fill theirs with it.
constexpr PluginDescriptor make_descriptor(const char* plugin_id, const char* plugin_version) {
    return PluginDescriptor{sizeof(PluginDescriptor),
                            kApiMajor,
                            kApiMinor,
                            kBoostVersion,
                            kCxxAbi,
                            plugin_id,
                            plugin_version};
}

// What a host built against this header is.
constexpr PluginDescriptor host_descriptor() {
    return make_descriptor("host", "host");
}

}  // namespace orch::plugin_api
