#include "support/event_wait.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "support/fd_wait.hpp"

namespace orch::test {

void make_fifo(const std::filesystem::path& path) {
    if (mkfifo(path.c_str(), 0600) != 0) {
        throw std::system_error(errno, std::generic_category(), "mkfifo " + path.string());
    }
}

std::optional<std::string> read_fifo_line(const std::filesystem::path& path,
                                          std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    // O_RDWR keeps the FIFO open for writing too, so poll() does not report HUP while no writer
    // has appeared yet; the read end then waits for the fake script's line.
    const int fd = open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(), "open fifo " + path.string());
    }
    std::string line;
    std::optional<std::string> result;
    while (!result && wait_readable(fd, deadline)) {
        char c = 0;
        while (read(fd, &c, 1) == 1) {
            if (c == '\n') {
                result = line;
                break;
            }
            line.push_back(c);
        }
    }
    close(fd);
    return result;
}

bool wait_for_process_exit(pid_t pid, std::chrono::milliseconds timeout, std::string_view comm) {
    const auto deadline = Clock::now() + timeout;
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) {
        return errno == ESRCH;  // already gone (and reaped)
    }
    // Looked at after the pidfd is open: a pid reused before that is caught here, not waited on.
    const bool exited = process_gone(pid, comm) || wait_readable(fd, deadline);
    close(fd);
    return exited;
}

}  // namespace orch::test
