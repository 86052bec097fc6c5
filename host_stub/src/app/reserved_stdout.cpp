#include "app/reserved_stdout.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

namespace orch::host {

ReservedStdout::ReservedStdout() noexcept {
    std::fflush(stdout);
    const int saved = fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (saved < 0) {
        return;
    }
    if (dup2(2, 1) < 0) {
        close(saved);
        return;
    }
    fd_ = saved;
}

ReservedStdout::~ReservedStdout() {
    if (fd_ != 1) {
        close(fd_);
    }
}

bool ReservedStdout::write_line(std::string_view text) noexcept {
    std::string line;
    try {
        line.reserve(text.size() + 1);
        line.append(text).push_back('\n');
    } catch (...) {
        return false;
    }
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = write(fd_, line.data() + done, line.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace orch::host
