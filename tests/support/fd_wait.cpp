#include "support/fd_wait.hpp"

#include <poll.h>

#include <cerrno>
#include <system_error>

namespace orch::test {

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

bool wait_readable(int fd, Clock::time_point deadline) {
    pollfd p{fd, POLLIN, 0};
    while (true) {
        const int ready = poll(&p, 1, remaining_ms(deadline));
        if (ready >= 0) {
            return ready > 0;
        }
        if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "poll");
        }
    }
}

}  // namespace orch::test
