#pragma once
// A cancellation signal a blocked poll() can wait on: cancel() makes the token's fd readable.
// Level-triggered: once cancelled it stays cancelled until reset().
#include <atomic>

namespace orch::pruner {

class CancelToken {
public:
    CancelToken();  // throws std::system_error when no pipe can be made
    ~CancelToken();
    CancelToken(const CancelToken&) = delete;
    CancelToken& operator=(const CancelToken&) = delete;

    void cancel() noexcept;  // async-signal-safe and thread-safe
    void reset() noexcept;
    bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
    int fd() const noexcept { return read_fd_; }  // readable while cancelled

private:
    int read_fd_ = -1;
    int write_fd_ = -1;
    std::atomic<bool> cancelled_{false};
};

}  // namespace orch::pruner
