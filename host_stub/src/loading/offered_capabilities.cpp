#include "loading/offered_capabilities.hpp"

#include <algorithm>

namespace orch::host {

OfferedCapabilities::OfferedCapabilities(const boost::dll::shared_library& library,
                                         std::uint32_t plugin_minor, const HostApi& host)
    : library_(&library) {
    // has() is a dlsym(): it reads the library's symbol table and runs none of its code.
    for (const plugin_api::Capability& c :
         plugin_api::capabilities_for_minor(plugin_minor, host.capabilities)) {
        if (library.has(c.symbol)) {
            symbols_.emplace_back(c.symbol);
        }
    }
}

bool OfferedCapabilities::offers(const plugin_api::Capability& capability) const {
    return std::find(symbols_.begin(), symbols_.end(), capability.symbol) != symbols_.end();
}

}  // namespace orch::host
