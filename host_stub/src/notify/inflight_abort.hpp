#pragma once
// Lets one thread cut short another thread's blocking socket exchange. Socket timeouts cannot be
// shortened once a recv() has started, so a shutdown deadline is enforced by shutting the socket
// down instead, which makes the blocked call return at once.
#include <mutex>

namespace orch::host {

class InflightAbort {
  public:
    // Shuts down the published socket, and every socket published from now on.
    void abort() noexcept;
    bool aborted() const noexcept;

    // Called by the thread doing the exchange, around the time it blocks on `fd`.
    void publish(int fd) noexcept;
    void withdraw() noexcept;

  private:
    mutable std::mutex mutex_;
    int fd_ = -1;
    bool aborted_ = false;
};

}  // namespace orch::host
