// Exports the plugin symbols but needs a function no library defines, so dlopen(RTLD_NOW)
// fails with dlerror's "undefined symbol" text. Linked without -Wl,--no-undefined on purpose.
#include <cstdlib>
#include <memory>

#include "orch/plugin_api/exports.hpp"

extern "C" int orch_test_symbol_nobody_defines();

namespace orch::test_plugins {

namespace api = orch::plugin_api;

const api::PluginDescriptor* unresolved_descriptor() {
    static constexpr api::PluginDescriptor descriptor = api::make_descriptor("unresolved", "0.0.1");
    return orch_test_symbol_nobody_defines() == 0 ? &descriptor : nullptr;
}

std::unique_ptr<api::IBackgroundTask> unresolved_create(const api::TaskContext&) {
    std::abort();
}

}  // namespace orch::test_plugins

ORCH_EXPORT_PLUGIN(orch::test_plugins::unresolved_descriptor, orch::test_plugins::unresolved_create)
