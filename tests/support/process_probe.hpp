#pragma once
// What /proc says about a process or this test process: gone or not, threads and descriptors.
#include <sys/types.h>

#include <chrono>
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

// thread_count(name) once it equals `expected`, or whatever it is at the deadline. For counts
// taken right after a join: the kernel wakes pthread_join (CLONE_CHILD_CLEARTID) before it
// removes the exiting thread from /proc/self/task, so for a moment a joined thread is still
// listed. There is no event for that removal; the count is re-read until it settles.
int settled_thread_count(std::string_view name, int expected,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Number of open file descriptors of this process (from /proc/self/fd).
std::size_t open_fd_count();

}  // namespace orch::test
