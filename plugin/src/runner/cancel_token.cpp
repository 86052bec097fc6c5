#include "runner/cancel_token.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace orch::pruner {

CancelToken::CancelToken() {
    int fds[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::system_error(errno, std::generic_category(),
                                "CancelToken: pipe2(O_CLOEXEC | O_NONBLOCK) failed");
    }
    read_fd_ = fds[0];
    write_fd_ = fds[1];
}

CancelToken::~CancelToken() {
    ::close(read_fd_);
    ::close(write_fd_);
}

void CancelToken::cancel() noexcept {
    if (cancelled_.exchange(true, std::memory_order_acq_rel)) {
        return;
    }
    // Only the caller that flipped the flag writes, so the pipe holds at most this one byte and
    // the write cannot find it full. errno is preserved for callers in signal handlers.
    const int saved_errno = errno;
    const char byte = 'c';
    while (::write(write_fd_, &byte, 1) < 0 && errno == EINTR) {
    }
    errno = saved_errno;
}

void CancelToken::reset() noexcept {
    if (!cancelled_.load(std::memory_order_acquire)) {
        return;
    }
    // A cancel() that set the flag writes exactly one byte, possibly a moment from now: consume
    // that byte before clearing the flag, so flag and fd never disagree afterwards. The bound
    // only guards against a write that failed, which the pipe's design rules out.
    char byte = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const ssize_t n = ::read(read_fd_, &byte, 1);
        if (n == 1) {
            break;
        }
        if (n < 0 && errno == EAGAIN) {
            pollfd readable{read_fd_, POLLIN, 0};
            ::poll(&readable, 1, 10);
        }
    }
    cancelled_.store(false, std::memory_order_release);
}

}  // namespace orch::pruner
