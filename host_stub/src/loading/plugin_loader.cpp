#include "loading/plugin_loader.hpp"

#include <exception>
#include <stdexcept>

#include "loading/plugin_file_probe.hpp"
#include "orch/plugin_api/compatibility.hpp"
#include "orch/plugin_api/descriptor.hpp"
#include "orch/plugin_api/exports.hpp"
#include "orch/plugin_api/version.hpp"

namespace orch::host {

namespace api = orch::plugin_api;

namespace {

// Thrown inside load() only, to leave at the first failed step with its message.
struct LoadFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string text_or(const char* s, const char* fallback) {
    return s != nullptr ? s : fallback;
}

const api::PluginDescriptor& read_descriptor(const boost::dll::shared_library& library) {
    const api::PluginDescriptor* descriptor = nullptr;
    try {
        auto& descriptor_fn = library.get_alias<api::DescriptorFn>(api::kDescriptorSymbol);
        descriptor = descriptor_fn();
    } catch (const std::exception& e) {
        throw LoadFailure(std::string(api::kDescriptorSymbol) + " failed: " + e.what());
    } catch (...) {
        throw LoadFailure(std::string(api::kDescriptorSymbol) + " threw a non-standard exception");
    }
    if (descriptor == nullptr) {
        throw LoadFailure(std::string(api::kDescriptorSymbol) + " returned no descriptor");
    }
    return *descriptor;
}

std::unique_ptr<api::IBackgroundTask> create_task(const boost::dll::shared_library& library,
                                                  const api::TaskContext& context) {
    try {
        auto& factory = library.get_alias<api::FactoryFn>(api::kFactorySymbol);
        auto task = factory(context);
        if (!task) {
            throw LoadFailure(std::string(api::kFactorySymbol) + " returned no task");
        }
        return task;
    } catch (const LoadFailure&) {
        throw;
    } catch (const std::exception& e) {
        throw LoadFailure(std::string(api::kFactorySymbol) + " threw: " + e.what());
    } catch (...) {
        throw LoadFailure(std::string(api::kFactorySymbol) + " threw a non-standard exception");
    }
}

}  // namespace

PluginLoader::PluginLoader(std::filesystem::path plugin_dir, LibraryRegistry& libraries,
                           PluginServices services, HostApi host_api)
    : plugin_dir_(std::move(plugin_dir)),
      libraries_(libraries),
      services_(std::move(services)),
      host_api_(host_api) {}

std::filesystem::path PluginLoader::library_path(const Manifest& manifest) const {
    return plugin_dir_ / manifest.library;
}

LoadResult PluginLoader::load(const Manifest& manifest) {
    LoadResult result;
    const std::filesystem::path path = library_path(manifest);
    const std::string who = "plugin '" + manifest.id + "' (manifest " + manifest.file_name +
                            ", library " + path.string() + ")";
    try {
        const ApiVersion host_api{api::kApiMajor, host_api_.minor};
        if (!host_provides(manifest.api_version, host_api)) {
            throw LoadFailure("needs plugin API " + manifest.api_version.text() +
                              ", this host provides " + host_api.text());
        }
        if (auto problem = probe_plugin_file(path)) {
            throw LoadFailure("library " + *problem);
        }
        const boost::dll::shared_library* library = nullptr;
        try {
            library = &libraries_.open(path);
        } catch (const std::exception& e) {
            throw LoadFailure(e.what());
        }
        const api::PluginDescriptor& descriptor = read_descriptor(*library);
        api::PluginDescriptor host = api::host_descriptor();
        host.api_minor = host_api_.minor;
        // Checks the descriptor's size before it reads any other field of it.
        const api::Compatibility compatibility = api::check_compatibility(descriptor, host);
        if (!compatibility.ok) {
            throw LoadFailure("incompatible: " + compatibility.reason);
        }
        const std::string descriptor_id = text_or(descriptor.plugin_id, "");
        if (descriptor_id != manifest.id) {
            throw LoadFailure("the library's descriptor says its id is '" + descriptor_id +
                              "', the manifest says '" + manifest.id + "'");
        }
        const ApiVersion built_for{descriptor.api_major, descriptor.api_minor};
        if (!(built_for == manifest.api_version)) {
            result.warnings.push_back(who + ": manifest says api_version " +
                                      manifest.api_version.text() + ", the library was built for " +
                                      built_for.text());
        }

        LoadedPlugin plugin;
        plugin.version = text_or(descriptor.plugin_version, "");
        plugin.capabilities = OfferedCapabilities(*library, descriptor.api_minor, host_api_);
        plugin.logger = services_.make_logger(manifest.id);
        const api::TaskContext context{manifest.config_json, plugin.logger.get(),
                                       services_.notifier};
        plugin.task = create_task(*library, context);
        result.plugin = std::move(plugin);
    } catch (const std::exception& e) {
        result.error = who + ": " + e.what();
    }
    return result;
}

}  // namespace orch::host
