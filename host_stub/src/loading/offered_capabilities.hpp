#pragma once
// The capabilities one loaded plugin offers (see orch/plugin_api/version.hpp for the rule), and
// the API this host implements, which decides which capabilities it looks for at all.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "orch/plugin_api/capabilities.hpp"
#include "orch/plugin_api/version.hpp"

namespace orch::host {

// The API minor a host implements and the capabilities it knows. The real host is built with
// the defaults; a test builds a host of a newer minor from them.
struct HostApi {
    std::uint32_t minor = plugin_api::kApiMinor;
    std::span<const plugin_api::Capability> capabilities = plugin_api::kCapabilities;
};

class OfferedCapabilities {
  public:
    OfferedCapabilities() = default;

    // Looks up, in `library`, only the capabilities capabilities_for_minor() allows for a plugin
    // declaring `plugin_minor`; `library` must outlive this object (LibraryRegistry keeps it).
    OfferedCapabilities(const boost::dll::shared_library& library, std::uint32_t plugin_minor,
                        const HostApi& host);

    bool offers(const plugin_api::Capability& capability) const;

    // The capability's accessor, typed by the caller with the capability's ...AccessorFn; null
    // when the plugin does not offer it (nothing is looked up in the library then).
    template <class AccessorFn>
    AccessorFn* accessor(const plugin_api::Capability& capability) const {
        return offers(capability) ? &library_->get_alias<AccessorFn>(capability.symbol) : nullptr;
    }

    // The symbols of the offered capabilities, in the order of the host's list.
    const std::vector<std::string>& symbols() const { return symbols_; }

  private:
    const boost::dll::shared_library* library_ = nullptr;
    std::vector<std::string> symbols_;
};

}  // namespace orch::host
