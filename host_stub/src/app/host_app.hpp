#pragma once
// One run of the host, from parsed options to an exit status. This is the shell around the pure
// pieces: it reads directories, loads libraries, starts threads, binds the socket, writes stdout.
#include "app/reserved_stdout.hpp"
#include "app/shutdown_signals.hpp"
#include "cli/cli_options.hpp"

namespace orch::host {

inline constexpr int kExitOk = 0;       // also after SIGINT/SIGTERM
inline constexpr int kExitFailure = 1;  // a required plugin failed, or the host could not start
inline constexpr int kExitUsage = 2;    // bad command line

// Serving: load, start in order, serve GET /queue until SIGINT/SIGTERM, stop in reverse.
// --once: load, one tick() per enabled plugin (no start()), print the /queue JSON, stop.
// `signals` must have been created before any thread.
int run_host(const CliOptions& options, ShutdownSignals& signals, ReservedStdout& out);

}  // namespace orch::host
