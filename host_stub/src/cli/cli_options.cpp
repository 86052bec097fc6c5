#include "cli/cli_options.hpp"

#include <set>

namespace orch::host {

namespace {

Result<CliOptions> failure(std::string message) {
    return {boost::system::in_place_error, std::move(message)};
}

}  // namespace

Result<CliOptions> parse_cli(const std::vector<std::string_view>& args) {
    CliOptions options;
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        std::optional<std::string_view> inline_value;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            inline_value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        const bool takes_value = arg == "--manifests" || arg == "--plugins" || arg == "--listen";
        const bool is_flag = arg == "--once" || arg == "--help" || arg == "-h";
        if (!takes_value && !is_flag) {
            return failure(arg.starts_with("-") ? "unknown option '" + std::string(arg) + "'"
                                                : "unexpected argument '" + std::string(arg) +
                                                      "'; host_stub takes options only");
        }
        if (!seen.insert(std::string(arg)).second) {
            return failure("option " + std::string(arg) + " given more than once");
        }
        if (is_flag) {
            if (inline_value) {
                return failure("option " + std::string(arg) + " takes no value");
            }
            if (arg == "--once") {
                options.once = true;
            } else {
                options.help = true;
            }
            continue;
        }
        std::string_view value;
        if (inline_value) {
            value = *inline_value;
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return failure("option " + std::string(arg) + " needs a value");
        }
        if (value.empty()) {
            return failure("option " + std::string(arg) + " needs a non-empty value");
        }
        if (arg == "--manifests") {
            options.manifests_dir = std::string(value);
        } else if (arg == "--plugins") {
            options.plugins_dir = std::string(value);
        } else {
            options.listen = std::string(value);
        }
    }
    return options;
}

std::string usage_text(std::string_view program) {
    const std::string p(program);
    return "usage: " + p +
           " [--manifests DIR] [--plugins DIR] [--listen HOST:PORT] [--once] [--help]\n"
           "\n"
           "The reference orchestrator plugin host: loads the plugins named by the manifests in\n"
           "DIR, starts them in order and serves GET /queue until SIGINT or SIGTERM.\n"
           "\n"
           "  --manifests DIR    manifest directory (default: " +
           // Absolute when built for prefix /usr (the packages' /etc), else under the prefix.
           std::string(ORCH_MANIFEST_INSTALL_DIR[0] == '/' ? ORCH_MANIFEST_INSTALL_DIR
                                                           : "<prefix>/" ORCH_MANIFEST_INSTALL_DIR
                                                             " next to this executable") +
           ")\n"
           "  --plugins DIR      plugin library directory (default: "
           "<prefix>/" ORCH_PLUGIN_INSTALL_DIR
           ")\n"
           "  --listen HOST:PORT address for GET /queue (default: " +
           std::string(kDefaultListen) +
           "; port 0 picks a free port). Once serving, prints one line\n"
           "                     'listening on HOST:PORT' on stdout.\n"
           "  --once             load, run one tick of every enabled plugin, print the /queue "
           "JSON\n"
           "                     on stdout, stop and exit (no HTTP server)\n"
           "  --help             this text\n"
           "\n"
           "Logs go to stderr (ORCH_LOG_LEVEL=debug|info|warning|error). Exit status: 0 on\n"
           "success and after SIGINT/SIGTERM, 1 when a required plugin failed or the host could\n"
           "not start, 2 for a usage error.\n";
}

}  // namespace orch::host
