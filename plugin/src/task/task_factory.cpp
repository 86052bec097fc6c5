#include "task/task_factory.hpp"

#include <stdexcept>
#include <utility>

#include <boost/json/parse.hpp>

namespace orch::pruner {

namespace {

// Used when the host passes no logger/notifier (a host bug): the task still runs.
class DiscardingServices final : public plugin_api::ILogger, public plugin_api::INotifier {
  public:
    void log(plugin_api::LogLevel, std::string_view) override {}
    void notify(std::string_view) override {}
};

DiscardingServices& discarding_services() {
    static DiscardingServices services;
    return services;
}

}  // namespace

std::unique_ptr<PrunerTask> make_pruner_task(const plugin_api::TaskContext& context,
                                             const Environment& env, PrunerTaskOptions options) {
    boost::json::object manifest_config;
    std::string config_problem;
    if (!context.config_json.empty()) {
        boost::system::error_code ec;
        boost::json::value parsed = boost::json::parse(context.config_json, ec);
        if (ec) {
            config_problem = "manifest config is not valid JSON (" + ec.message() +
                             "); using defaults and environment";
        } else if (!parsed.is_object()) {
            config_problem = "manifest config must be a JSON object, got " +
                             std::string(to_string(parsed.kind())) +
                             "; using defaults and environment";
        } else {
            manifest_config = std::move(parsed.as_object());
        }
    }
    ResolvedConfig resolved = resolve_config(manifest_config, env);
    if (const auto path = env.find("PATH"); path != env.end()) {
        options.search_path = path->second;
    }
    if (!config_problem.empty()) {
        resolved.warnings.insert(resolved.warnings.begin(), config_problem);
    }
    plugin_api::ILogger& logger =
        context.logger != nullptr ? *context.logger : discarding_services();
    plugin_api::INotifier& notifier =
        context.notifier != nullptr ? *context.notifier : discarding_services();
    Fleet fleet = resolve_fleet(manifest_config, env, resolved.config);
    return std::make_unique<PrunerTask>(std::move(resolved), std::move(fleet), logger, notifier,
                                        std::move(options));
}

}  // namespace orch::pruner
