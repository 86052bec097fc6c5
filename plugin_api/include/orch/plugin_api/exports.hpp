#pragma once
// The symbols a plugin library exports, and the macro that exports them. The host reads the
// descriptor first and creates a task only when check_compatibility() accepts it.
#include <memory>

#include <boost/dll/alias.hpp>

#include "orch/plugin_api/background_task.hpp"
#include "orch/plugin_api/descriptor.hpp"

namespace orch::plugin_api {

// Exported names. They sit in their own ELF section so a host can list them with
// boost::dll::library_info without running any code of the library.
inline constexpr const char* kDescriptorSymbol = "orch_plugin_descriptor";
inline constexpr const char* kFactorySymbol = "orch_create_task";
inline constexpr const char* kSymbolSection = "orchplug";

using DescriptorFn = const PluginDescriptor*();
using FactoryFn = std::unique_ptr<IBackgroundTask>(const TaskContext&);

}  // namespace orch::plugin_api

// Exports a plugin's descriptor function and factory. Both arguments must be fully qualified
// names that differ from the alias names: BOOST_DLL_ALIAS on an unqualified name equal to the
// alias takes the alias's own address.
#define ORCH_EXPORT_PLUGIN(descriptor_fn, factory_fn)                          \
    BOOST_DLL_ALIAS_SECTIONED(descriptor_fn, orch_plugin_descriptor, orchplug) \
    BOOST_DLL_ALIAS_SECTIONED(factory_fn, orch_create_task, orchplug)
