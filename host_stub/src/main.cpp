// host_stub: the reference orchestrator plugin host. See app/host_app.hpp.
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/host_app.hpp"
#include "app/reserved_stdout.hpp"
#include "app/shutdown_signals.hpp"
#include "app/standard_fds.hpp"
#include "cli/cli_options.hpp"

int main(int argc, char** argv) {
    using namespace orch::host;
    // Before anything opens a descriptor (the signalfd below would otherwise become "stdout").
    if (!ensure_standard_fds_open()) {
        return kExitFailure;  // nowhere to say why: stderr is one of the closed descriptors
    }
    try {
        // First, before any thread exists: every thread inherits the blocked signals, so only
        // the main thread's wait() ever sees SIGINT/SIGTERM.
        ShutdownSignals signals;
        const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
        const Result<CliOptions> cli = parse_cli(args);
        if (!cli) {
            std::fprintf(stderr, "host_stub: %s\n%s", cli.error().c_str(),
                         usage_text("host_stub").c_str());
            return kExitUsage;
        }
        if (cli->help) {
            std::fputs(usage_text("host_stub").c_str(), stdout);
            return kExitOk;
        }
        ReservedStdout out;
        return run_host(*cli, signals, out);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "host_stub: fatal: %s\n", e.what());
        return kExitFailure;
    }
}
