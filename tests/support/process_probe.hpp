#pragma once
// What /proc says about a process or this test process: gone or not, threads and descriptors.
#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace orch::test {

// True when no process with this pid exists, it is dead (a zombie counts: a reparented
// grandchild may stay one if init does not reap it), or, when `comm` is given, the pid now
// names another program (the pid was reused).
bool process_gone(pid_t pid, std::string_view comm = {});

// SIGKILL for a process that is still there, so a failed expectation leaves nothing running.
void kill_if_running(pid_t pid, std::string_view comm);

// Number of threads of this process (from /proc/self/task).
int thread_count();

// Number of threads of this process named `name` (their /proc comm). Tests count a component's
// own named threads: sanitizer runtimes start helper threads of their own at unpredictable times.
int thread_count(std::string_view name);

// Number of open file descriptors of this process (from /proc/self/fd).
std::size_t open_fd_count();

}  // namespace orch::test
