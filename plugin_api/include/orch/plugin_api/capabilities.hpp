#pragma once
// Capabilities: what a minor release adds, as optional interfaces a plugin exports by name (the
// rule and the steps to add one are in version.hpp). This header holds the list of every
// capability of this major and the one decision of which of them a plugin may offer.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/dll/alias.hpp>

#include "orch/plugin_api/capability.hpp"
#include "orch/plugin_api/metrics.hpp"
#include "orch/plugin_api/version.hpp"

namespace orch::plugin_api {

// Every capability of this major, in the order they were added. API 1.0 has none.
inline constexpr std::array<Capability, 1> kCapabilities{
    kMetrics,  // 1.1
};

// The capabilities, among `known` (what the host was built with), that a plugin declaring API
// minor `plugin_minor` can offer: those introduced at or before that minor. The host looks up
// these and no others, so nothing newer than a plugin's minor is ever looked up in it or called.
inline std::vector<Capability> capabilities_for_minor(std::uint32_t plugin_minor,
                                                      std::span<const Capability> known) {
    std::vector<Capability> out;
    for (const Capability& c : known) {
        if (c.since_minor <= plugin_minor) {
            out.push_back(c);
        }
    }
    return out;
}

namespace detail {
// A list of capabilities a host can be built with: each added by a minor after 1.0 and not
// after `host_minor`, in order, with distinct symbols.
constexpr bool valid_capability_list(std::span<const Capability> list, std::uint32_t host_minor) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].symbol == nullptr || list[i].since_minor == 0 ||
            list[i].since_minor > host_minor ||
            (i > 0 && list[i].since_minor < list[i - 1].since_minor)) {
            return false;
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (std::string_view(list[i].symbol) == list[j].symbol) {
                return false;
            }
        }
    }
    return true;
}
}  // namespace detail

static_assert(detail::valid_capability_list(kCapabilities, kApiMinor),
              "kCapabilities: each capability needs a symbol, a since_minor in 1..kApiMinor, "
              "rows in order of since_minor and distinct symbols");

}  // namespace orch::plugin_api

// Exports `accessor_fn` (a fully qualified function of type `accessor_type`, the capability's
// ...AccessorFn) as `symbol` (the capability's Capability::symbol, as a bare name) in the
// "orchplug" section. The type check makes a wrong signature a compile error in the plugin, not
// a crash in the host.
#define ORCH_EXPORT_CAPABILITY(accessor_fn, accessor_type, symbol)                           \
    static_assert(std::is_same_v<decltype(accessor_fn), accessor_type>,                      \
                  #accessor_fn " must have the capability's accessor type " #accessor_type); \
    BOOST_DLL_ALIAS_SECTIONED(accessor_fn, symbol, orchplug)
