#include "notify/inflight_abort.hpp"

#include <sys/socket.h>

namespace orch::host {

void InflightAbort::abort() noexcept {
    const std::lock_guard lock(mutex_);
    aborted_ = true;
    if (fd_ >= 0) {
        ::shutdown(fd_, SHUT_RDWR);
    }
}

bool InflightAbort::aborted() const noexcept {
    const std::lock_guard lock(mutex_);
    return aborted_;
}

void InflightAbort::publish(int fd) noexcept {
    const std::lock_guard lock(mutex_);
    fd_ = fd;
    if (aborted_ && fd_ >= 0) {
        ::shutdown(fd_, SHUT_RDWR);
    }
}

void InflightAbort::withdraw() noexcept {
    // Under the lock, so abort() never shuts down a descriptor number that has been reused.
    const std::lock_guard lock(mutex_);
    fd_ = -1;
}

}  // namespace orch::host
