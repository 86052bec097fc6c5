#pragma once
// SIGINT/SIGTERM handling without signal handlers: the signals are blocked in every thread (the
// mask is inherited, so this must run before any thread is created) and read from a signalfd.
// A second descriptor lets another thread wake the waiter when its work is done, so the main
// thread sleeps on "signal or done" without polling.
#include <optional>

namespace orch::host {

class ShutdownSignals {
  public:
    // Blocks SIGINT and SIGTERM in the calling thread. Call first thing in main().
    // Throws std::system_error if the descriptors cannot be created.
    ShutdownSignals();
    ~ShutdownSignals();
    ShutdownSignals(const ShutdownSignals&) = delete;
    ShutdownSignals& operator=(const ShutdownSignals&) = delete;

    // Blocks until SIGINT/SIGTERM arrives (returns its number) or notify_done() was called
    // (returns nullopt). A signal that arrived earlier is returned at once. Throws
    // std::system_error when a descriptor fails (e.g. it was closed or replaced behind this
    // object's back) instead of spinning: the caller then shuts down as if signalled.
    std::optional<int> wait();

    // Wakes wait(). Thread-safe, async-signal-safe.
    void notify_done() noexcept;

  private:
    int signal_fd_ = -1;
    int done_fd_ = -1;
};

}  // namespace orch::host
