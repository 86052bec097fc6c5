#pragma once
// One run of the host, from parsed options to an exit status. This is the shell around the pure
// pieces: it reads directories, loads libraries, starts threads, binds the socket, writes stdout.
#include <chrono>

#include "app/reserved_stdout.hpp"
#include "app/shutdown_signals.hpp"
#include "cli/cli_options.hpp"

namespace orch::host {

inline constexpr int kExitOk = 0;       // also after SIGINT/SIGTERM while serving
inline constexpr int kExitFailure = 1;  // a required plugin failed, or the host could not start
inline constexpr int kExitUsage = 2;    // bad command line
// --once only: every tick ran, but a notification it queued was not delivered (failed, dropped,
// or still undelivered after kOnceNotifyWait).
inline constexpr int kExitNotifyFailed = 3;
// --once interrupted before its ticks finished: 128 + the signal, as shells report it.
inline constexpr int kExitOnceSigint = 130;
inline constexpr int kExitOnceSigterm = 143;

// How long --once waits for the notifications its ticks queued before printing the JSON.
inline constexpr std::chrono::seconds kOnceNotifyWait{5};

// Serving: load, start in order, serve GET /queue until SIGINT/SIGTERM, stop in reverse.
// --once: load, one tick() per enabled plugin (no start()), wait (bounded) for the notifications
// they queued, print the /queue JSON, stop.
// `signals` must have been created before any thread.
int run_host(const CliOptions& options, ShutdownSignals& signals, ReservedStdout& out);

}  // namespace orch::host
