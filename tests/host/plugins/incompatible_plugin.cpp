// A plugin whose descriptor the host must refuse, with the mismatch chosen at build time
// (MISMATCH): 1 API major + 1, 2 API minor + 1, 3 another Boost version, 4 another C++ ABI,
// 5 another descriptor size. Its factory aborts the process: a host that creates anything
// from an incompatible library fails the test loudly instead of passing by luck.
#include <cstdlib>
#include <memory>

#include "orch/plugin_api/exports.hpp"

#if !defined(MISMATCH) || !defined(PLUGIN_ID)
#error "MISMATCH and PLUGIN_ID must be defined by the build"
#endif

namespace orch::test_plugins {

namespace api = orch::plugin_api;

constexpr api::PluginDescriptor make_incompatible() {
    api::PluginDescriptor d = api::make_descriptor(PLUGIN_ID, "9.9.9");
    if (MISMATCH == 1) {
        d.api_major += 1U;
    } else if (MISMATCH == 2) {
        d.api_minor += 1U;
    } else if (MISMATCH == 3) {
        d.boost_version = 107400;  // Boost 1.74.0
    } else if (MISMATCH == 4) {
        d.cxx_abi = "itanium/libc++";
    } else if (MISMATCH == 5) {
        d.struct_size -= 8U;
    }
    return d;
}

const api::PluginDescriptor* incompatible_descriptor() {
    static constexpr api::PluginDescriptor descriptor = make_incompatible();
    return &descriptor;
}

std::unique_ptr<api::IBackgroundTask> incompatible_create(const api::TaskContext&) {
    std::abort();
}

}  // namespace orch::test_plugins

ORCH_EXPORT_PLUGIN(orch::test_plugins::incompatible_descriptor,
                   orch::test_plugins::incompatible_create)
