#include "app/host_app.hpp"

#include <atomic>
#include <csignal>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/metrics_page.hpp"
#include "app/sd_notify.hpp"
#include "cli/default_paths.hpp"
#include "http/listen_address.hpp"
#include "http/queue_http_server.hpp"
#include "lifespan/plugin_registry.hpp"
#include "loading/library_registry.hpp"
#include "loading/plugin_loader.hpp"
#include "log/log_level.hpp"
#include "log/stderr_logger.hpp"
#include "manifest/manifest_dir.hpp"
#include "notify/telegram_config.hpp"
#include "notify/telegram_notifier.hpp"
#include "queue/queue_json.hpp"
#include "text/environment.hpp"

namespace orch::host {

namespace {

using plugin_api::LogLevel;

const char* signal_name(int signal) {
    switch (signal) {
        case SIGINT:
            return "SIGINT";
        case SIGTERM:
            return "SIGTERM";
        default:
            return "a signal";
    }
}

std::optional<HostPaths> resolve_paths(const CliOptions& options, StderrLogger& log) {
    HostPaths paths;
    if (!options.manifests_dir || !options.plugins_dir) {
        const auto exe = current_executable();
        if (!exe) {
            log.log(LogLevel::kError,
                    "cannot read /proc/self/exe to find the default manifest and plugin "
                    "directories; pass --manifests and --plugins");
            return std::nullopt;
        }
        paths = default_paths(*exe);
    }
    if (options.manifests_dir) {
        paths.manifests = *options.manifests_dir;
    }
    if (options.plugins_dir) {
        paths.plugins = *options.plugins_dir;
    }
    return paths;
}

// Loads every enabled plugin; a disabled one is recorded without touching its library.
std::vector<PluginRecord> load_plugins(const ManifestSet& set, PluginLoader& loader,
                                       StderrLogger& log) {
    std::vector<PluginRecord> records;
    for (const Manifest& manifest : set.manifests) {
        PluginRecord record{manifest, std::nullopt, {}};
        if (!manifest.enabled) {
            log.log(LogLevel::kInfo, "plugin '" + manifest.id + "' is disabled by manifest " +
                                         manifest.file_name + "; not loaded");
            records.push_back(std::move(record));
            continue;
        }
        LoadResult result = loader.load(manifest);
        for (const auto& warning : result.warnings) {
            log.log(LogLevel::kWarning, warning);
        }
        if (result.plugin) {
            log.log(LogLevel::kInfo, "loaded plugin '" + manifest.id + "' " +
                                         result.plugin->version + " from " +
                                         loader.library_path(manifest).string());
            record.loaded = std::move(result.plugin);
        } else {
            log.log(LogLevel::kError,
                    result.error + (manifest.required ? " [required plugin]" : "; skipped"));
            record.load_error = std::move(result.error);
        }
        records.push_back(std::move(record));
    }
    return records;
}

class HostRun {
  public:
    HostRun(const CliOptions& options, ShutdownSignals& signals, ReservedStdout& out)
        : options_(options),
          signals_(signals),
          out_(out),
          env_(current_environment()),
          level_(log_level_from_env(env_)),
          log_(level_.level, "host"),
          notifier_log_(log_.with_source("telegram")) {}

    int run() {
        if (!level_.problem.empty()) {
            log_.log(LogLevel::kWarning, level_.problem);
        }
        std::optional<ListenAddress> listen;
        if (!options_.once) {
            const Result<ListenAddress> parsed = parse_listen_address(options_.listen);
            if (!parsed) {
                log_.log(LogLevel::kError, "--listen: " + parsed.error());
                return kExitUsage;
            }
            listen = *parsed;
        }
        const auto paths = resolve_paths(options_, log_);
        if (!paths) {
            return kExitFailure;
        }
        log_.log(LogLevel::kInfo, "manifests from " + paths->manifests.string() +
                                      ", plugins from " + paths->plugins.string());
        const ManifestDirLoad manifests = load_manifest_dir(paths->manifests);
        if (manifests.fatal) {
            log_.log(LogLevel::kError, *manifests.fatal);
            return kExitFailure;
        }
        bool fatal = report_manifest_problems(manifests, paths->manifests);

        notifier_.emplace(telegram_config_from_env(env_), notifier_log_);
        PluginLoader loader(
            paths->plugins, libraries_,
            PluginServices{[this](const std::string& id) {
                               return std::make_unique<StderrLogger>(log_.with_source(id));
                           },
                           &*notifier_});
        registry_.emplace(load_plugins(manifests.set, loader, log_), log_);
        for (const auto& failure : registry_->required_failures()) {
            log_.log(LogLevel::kError, failure);
            fatal = true;
        }
        const int status = options_.once ? run_once(fatal) : serve(*listen, fatal);
        shut_down();
        return status;
    }

  private:
    bool report_manifest_problems(const ManifestDirLoad& manifests,
                                  const std::filesystem::path& dir) {
        bool fatal = false;
        for (const auto& warning : manifests.set.warnings) {
            log_.log(LogLevel::kWarning, warning);
        }
        for (const auto& error : manifests.set.errors) {
            log_.log(LogLevel::kError,
                     error.message + (error.required ? " [required plugin: fatal]" : ""));
            fatal = fatal || error.required;
        }
        if (manifests.set.manifests.empty() && manifests.set.errors.empty()) {
            log_.log(LogLevel::kWarning,
                     "no manifests (*.json) in " + dir.string() + "; running without plugins");
        }
        return fatal;
    }

    std::string render() const {
        return render_queue_json(registry_->snapshot(), notifier_->status_json());
    }

    int run_once(bool fatal) {
        std::optional<int> interrupted;
        bool broken = false;
        if (fatal) {
            log_.log(LogLevel::kError, "a required plugin failed: not ticking any plugin");
        } else {
            std::atomic<bool> cancel{false};
            // The ticks run on a worker so that the main thread can take SIGINT/SIGTERM; the
            // worker wakes the main thread when it is done.
            std::thread worker([this, &cancel] {
                registry_->tick_all(cancel);
                signals_.notify_done();
            });
            const WaitOutcome woke = wait_for_shutdown();
            if (woke.signal || woke.failed) {
                if (woke.signal) {
                    log_.log(LogLevel::kInfo, std::string(signal_name(*woke.signal)) +
                                                  " received during --once: stopping the ticks");
                }
                interrupted = woke.signal;
                broken = woke.failed;
                cancel.store(true);
                registry_->stop_all();  // makes in-flight work return
            }
            worker.join();
        }
        // What the ticks queued is delivered (or not) before the figures are printed, so the
        // JSON shows the outcome. Not after a signal: the operator asked for a prompt stop.
        if (!fatal && !interrupted && !broken && !notifier_->wait_idle(kOnceNotifyWait)) {
            log_.log(LogLevel::kWarning, "notifications still undelivered after " +
                                             std::to_string(kOnceNotifyWait.count()) + " s");
        }
        if (!out_.write_line(render())) {
            log_.log(LogLevel::kError, "cannot write the /queue JSON to stdout");
            return kExitFailure;
        }
        if (fatal || broken) {
            return kExitFailure;
        }
        if (interrupted) {
            return *interrupted == SIGINT ? kExitOnceSigint : kExitOnceSigterm;
        }
        const NotifierCounters notes = notifier_->counters();
        if (notes.failed + notes.dropped + notes.queued + notes.in_flight > 0) {
            log_.log(LogLevel::kError, "--once: " + std::to_string(notes.failed) +
                                           " notification(s) failed, " +
                                           std::to_string(notes.dropped) + " dropped, " +
                                           std::to_string(notes.queued + notes.in_flight) +
                                           " undelivered (see host.notifier)");
            return kExitNotifyFailed;
        }
        return kExitOk;
    }

    struct WaitOutcome {
        std::optional<int> signal;  // SIGINT/SIGTERM
        bool failed = false;        // the signal descriptors broke: shut down as if signalled
    };

    // The main thread's wait. A broken descriptor must not leave the host unstoppable, so it is
    // logged and treated as a request to stop.
    WaitOutcome wait_for_shutdown() {
        try {
            return {signals_.wait(), false};
        } catch (const std::exception& e) {
            log_.log(LogLevel::kError, std::string("cannot wait for SIGINT/SIGTERM any more (") +
                                           e.what() + "); stopping");
            return {std::nullopt, true};
        }
    }

    int serve(const ListenAddress& listen, bool fatal) {
        if (fatal) {
            log_.log(LogLevel::kError, "a required plugin failed: not starting");
            return kExitFailure;
        }
        // Bound before any plugin starts: a busy port must not cost a prune.
        try {
            metrics_page_.emplace(*registry_, *notifier_);
            server_ = std::make_unique<QueueHttpServer>(
                listen,
                QueueHttpServer::Routes{[this] { return render(); },
                                        [this] { return metrics_page_->render(); },
                                        &metrics_page_->request_counters()},
                log_);
        } catch (const std::exception& e) {
            log_.log(LogLevel::kError, e.what());
            return kExitFailure;
        }
        if (!registry_->start_all()) {
            return kExitFailure;
        }
        server_->start();
        const std::string address = server_->bound_address();
        log_.log(LogLevel::kInfo,
                 "serving GET http://" + address + "/metrics and GET http://" + address + "/queue");
        if (!out_.write_line("listening on " + address)) {
            log_.log(LogLevel::kWarning, "cannot write the listening line to stdout");
        }
        notify("READY=1");
        const WaitOutcome woke = wait_for_shutdown();
        notify("STOPPING=1");
        if (woke.failed) {
            return kExitFailure;
        }
        log_.log(LogLevel::kInfo,
                 std::string(woke.signal ? signal_name(*woke.signal) : "shutdown request") +
                     " received: stopping");
        return kExitOk;
    }

    // systemd readiness (Type=notify); a failure is worth a warning, never a stop.
    void notify(std::string_view state) {
        if (const auto error = notify_service_manager(env_, state)) {
            log_.log(LogLevel::kWarning, *error);
        }
    }

    // The plugins first: a stop must never wait for HTTP clients (a slow one could otherwise
    // hold the host, and a prune, until a supervisor's SIGKILL). /queue may still be answered
    // meanwhile; status() is safe on a stopping plugin. Then the HTTP server, which aborts its
    // connections, then the notifier, so messages sent while stopping are still delivered.
    void shut_down() {
        registry_->stop_all();
        if (server_) {
            server_->stop();
        }
        notifier_->stop();
        log_.log(LogLevel::kInfo, "stopped");
    }

    const CliOptions& options_;
    ShutdownSignals& signals_;
    ReservedStdout& out_;
    const Environment env_;
    const LogLevelSetting level_;
    StderrLogger log_;
    StderrLogger notifier_log_;
    // Destroyed bottom-up: server, tasks (registry), libraries, notifier. A task may use the
    // notifier and its library's code until it is destroyed; libraries stay mapped anyway
    // (see LibraryRegistry).
    std::optional<TelegramNotifier> notifier_;
    LibraryRegistry libraries_;
    std::optional<PluginRegistry> registry_;
    std::optional<MetricsPage> metrics_page_;  // uses registry_ and notifier_; used by server_
    std::unique_ptr<QueueHttpServer> server_;
};

}  // namespace

int run_host(const CliOptions& options, ShutdownSignals& signals, ReservedStdout& out) {
    return HostRun(options, signals, out).run();
}

}  // namespace orch::host
