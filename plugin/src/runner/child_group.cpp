#include "runner/child_group.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace orch::pruner {
namespace {

int open_pidfd(pid_t pid) noexcept {
#ifdef SYS_pidfd_open
    // pidfd_open's descriptor is close-on-exec already.
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    return -1;
#endif
}

ChildExit to_child_exit(const siginfo_t& info) noexcept {
    ChildExit result;
    if (info.si_code == CLD_EXITED) {
        result.code = info.si_status;
    } else {
        result.signalled = true;
        result.signal = info.si_status;
    }
    return result;
}

enum class Peek { kRunning, kExited, kGone };

// waitid on the child, leaving it waitable (WNOWAIT); `flags` adds WNOHANG or not. kGone: it
// cannot be waited for (already reaped by someone else, e.g. with SIGCHLD ignored).
Peek peek(pid_t pid, int flags, siginfo_t& info) noexcept {
    for (;;) {
        info = siginfo_t{};
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT | flags) == 0) {
            return info.si_pid == 0 ? Peek::kRunning : Peek::kExited;
        }
        if (errno != EINTR) {
            return Peek::kGone;
        }
    }
}

}  // namespace

ChildGroup::ChildGroup(const Poco::ProcessHandle& handle)
    : handle_(handle), pid_(handle.id()), pidfd_(open_pidfd(handle.id())) {}

ChildGroup::~ChildGroup() {
    if (!reaped_) {
        kill_group();
        reap();
    }
    if (pidfd_ >= 0) {
        ::close(pidfd_);
    }
}

bool ChildGroup::has_exited() {
    siginfo_t info{};
    return reaped_ || peek(pid_, WNOHANG, info) != Peek::kRunning;
}

void ChildGroup::kill_group() noexcept {
    if (reaped_) {
        return;  // the ids may belong to someone else by now
    }
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
}

std::optional<ChildExit> ChildGroup::reap() {
    if (reaped_) {
        return std::nullopt;
    }
    // Blocks until the child is gone; callers have killed it or seen it exit, so this is short.
    siginfo_t info{};
    const bool waited = peek(pid_, 0, info) == Peek::kExited;
    reaped_ = true;
    try {
        handle_.wait();
    } catch (...) {
        // Already reaped elsewhere (e.g. SIGCHLD ignored): nothing left to collect; the missing
        // status is reported through the nullopt.
        return std::nullopt;
    }
    return waited ? std::optional<ChildExit>(to_child_exit(info)) : std::nullopt;
}

}  // namespace orch::pruner
