#pragma once
// One capability's row (the rule is in version.hpp). Its own header so that each capability's
// header can declare its row and capabilities.hpp can list them all without an include cycle.
#include <cstdint>

namespace orch::plugin_api {

struct Capability {
    // The accessor a plugin exports in the "orchplug" section (kSymbolSection). Its type is the
    // capability's own `...AccessorFn`: interface pointer from the task, or null.
    const char* symbol;
    // The minor that introduced it: only a plugin built for this minor or later may offer it.
    std::uint32_t since_minor;
};

}  // namespace orch::plugin_api
