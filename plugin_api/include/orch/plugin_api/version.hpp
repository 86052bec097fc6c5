#pragma once
// The plugin API version. Bump the major for any change that breaks an existing plugin or host
// (a changed signature, a reordered vtable, a changed struct layout); bump the minor when only
// appending (a new virtual at the end of an interface, a new host service). A host accepts a
// plugin whose major equals its own and whose minor is not newer than its own.
#include <cstdint>

namespace orch::plugin_api {

inline constexpr std::uint32_t kApiMajor = 1;
inline constexpr std::uint32_t kApiMinor = 0;

}  // namespace orch::plugin_api
