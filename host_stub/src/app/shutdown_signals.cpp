#include "app/shutdown_signals.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <system_error>

namespace orch::host {

namespace {

sigset_t shutdown_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

ShutdownSignals::ShutdownSignals() {
    const sigset_t set = shutdown_set();
    if (const int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0) {
        throw std::system_error(rc, std::generic_category(), "pthread_sigmask");
    }
    signal_fd_ = signalfd(-1, &set, SFD_CLOEXEC);
    if (signal_fd_ < 0) {
        throw_errno("signalfd");
    }
    done_fd_ = eventfd(0, EFD_CLOEXEC);
    if (done_fd_ < 0) {
        const int saved = errno;
        close(signal_fd_);
        errno = saved;
        throw_errno("eventfd");
    }
}

ShutdownSignals::~ShutdownSignals() {
    close(done_fd_);
    close(signal_fd_);
}

std::optional<int> ShutdownSignals::wait() {
    constexpr short kBroken = POLLERR | POLLHUP | POLLNVAL;
    while (true) {
        std::array<pollfd, 2> fds{{{signal_fd_, POLLIN, 0}, {done_fd_, POLLIN, 0}}};
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("poll on the shutdown signal descriptors");
        }
        // Every way out of this loop either returns or consumes the event that woke poll(): a
        // descriptor that stays ready without yielding a read would otherwise spin at full CPU
        // and never see a signal again, so that is an error for the caller to shut down on.
        if ((fds[0].revents & kBroken) != 0) {
            errno = EBADF;
            throw_errno("signalfd became unusable");
        }
        if ((fds[0].revents & POLLIN) != 0) {
            signalfd_siginfo info{};
            const ssize_t n = read(signal_fd_, &info, sizeof info);
            if (n == static_cast<ssize_t>(sizeof info)) {
                return static_cast<int>(info.ssi_signo);
            }
            if (n >= 0) {
                errno = EIO;
                throw_errno("short read from the signalfd");
            }
            if (errno != EINTR && errno != EAGAIN) {
                throw_errno("read from the signalfd");
            }
        }
        if ((fds[1].revents & kBroken) != 0) {
            errno = EBADF;
            throw_errno("eventfd became unusable");
        }
        if ((fds[1].revents & POLLIN) != 0) {
            std::uint64_t count = 0;
            const ssize_t n = read(done_fd_, &count, sizeof count);
            if (n == static_cast<ssize_t>(sizeof count)) {
                return std::nullopt;
            }
            if (n >= 0) {
                errno = EIO;
                throw_errno("short read from the eventfd");
            }
            if (errno != EINTR && errno != EAGAIN) {
                throw_errno("read from the eventfd");
            }
        }
    }
}

void ShutdownSignals::notify_done() noexcept {
    const std::uint64_t one = 1;
    // An eventfd write of 1 fails only when the counter would overflow: already signalled.
    [[maybe_unused]] const auto written = write(done_fd_, &one, sizeof one);
}

}  // namespace orch::host
