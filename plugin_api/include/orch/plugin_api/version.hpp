#pragma once
// The plugin API version, and the rule that keeps an older plugin safe in a newer host.
//
// The rule:
// - Within a major, every interface a plugin implements (IBackgroundTask today) and every type
//   that crosses the boundary (PluginDescriptor, TaskContext, ILogger, INotifier) is FROZEN: no
//   virtual is added, removed or reordered, no field is added or moved.
// - A minor adds a CAPABILITY only: a new interface in its own header, reached through a new,
//   optional function that a plugin exports by name in the "orchplug" section
//   (ORCH_EXPORT_CAPABILITY, capabilities.hpp). A host finds it with a symbol lookup, never
//   through a vtable the plugin has.
// - A host accepts a plugin of its own major whose minor is not newer than its own, and looks
//   only for the capabilities the plugin's declared minor can have (capabilities_for_minor in
//   capabilities.hpp, the one place that decides this). A 1.0 plugin in a 1.3 host is therefore
//   driven exactly as a 1.0 host drives it: nothing new is looked up in it or called on it.
// - Anything else (a changed signature or struct, a removed capability) is a new major.
//
// Why: a vtable is laid out when the plugin is compiled. A 1.1 host that called a virtual
// appended to IBackgroundTask in 1.1 would, on a 1.0 plugin, read a slot past the end of that
// plugin's vtable and jump to whatever lies there. A missing exported symbol, in contrast, is a
// lookup that fails cleanly, so "does this plugin offer X" is answered without running its code.
//
// Adding a capability in minor N (the steps, all in plugin_api/ unless said otherwise):
// 1. Here: kApiMinor = N.
// 2. A header for the new interface (class BOOST_SYMBOL_VISIBLE IThing, virtual destructor), its
//    accessor type `using ThingAccessorFn = IThing*(IBackgroundTask& task);` (returns the task's
//    IThing, owned by the task, or null when this task does not offer it) and its row
//    `inline constexpr Capability kThing{"orch_thing", N};` (symbol <= 31 characters).
// 3. capabilities.hpp: append kThing to kCapabilities; include the new header from plugin_api.hpp.
// 4. A plugin offers it with ORCH_EXPORT_CAPABILITY(my::thing_of, ThingAccessorFn, orch_thing);
//    the host gets it with `plugin.capabilities.accessor<ThingAccessorFn>(kThing)` (null when
//    the plugin does not offer it) and uses it; nothing else in the loader changes.
// 5. tests/plugin_api/capabilities_test.cpp: add the rows for the new minor to the table.
#include <cstdint>

namespace orch::plugin_api {

inline constexpr std::uint32_t kApiMajor = 1;
// 1.1: the metrics capability (metrics.hpp).
inline constexpr std::uint32_t kApiMinor = 1;

}  // namespace orch::plugin_api
