#pragma once
// The one poll loop every event wait in the tests uses: block on a file descriptor until it is
// readable or a deadline passes, restarting after signals.
#include <chrono>

namespace orch::test {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, 0 once it has passed (a poll() timeout).
int remaining_ms(Clock::time_point deadline);

// True once `fd` is readable (or hung up), false at the deadline.
bool wait_readable(int fd, Clock::time_point deadline);

}  // namespace orch::test
