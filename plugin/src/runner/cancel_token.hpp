#pragma once
// A cancellation signal a blocked poll() can wait on: cancel() makes the token's fd readable.
// Level-triggered: once cancelled it stays cancelled (fd readable, cancelled() true) until reset().
#include <atomic>

namespace orch::pruner {

class CancelToken {
  public:
    CancelToken();  // throws std::system_error when no pipe can be made
    ~CancelToken();
    CancelToken(const CancelToken&) = delete;
    CancelToken& operator=(const CancelToken&) = delete;

    // Thread-safe, async-signal-safe and idempotent: only the first call after construction or
    // reset() writes the byte that makes fd() readable.
    void cancel() noexcept;
    // Clears the token for the next run. May race with cancel() (a cancel that lands while the
    // token is still cancelled is absorbed), but not with another reset(): the owner calls it.
    void reset() noexcept;
    bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
    int fd() const noexcept { return read_fd_; }  // readable while cancelled

  private:
    int read_fd_ = -1;
    int write_fd_ = -1;
    std::atomic<bool> cancelled_{false};
};

}  // namespace orch::pruner
