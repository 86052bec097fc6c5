#pragma once
// Waiting on events with a deadline: a line written into a FIFO by a fake script, the exit of
// any process (pidfd), or a predicate re-checked whenever a notifying object signals.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace orch::test {

// Creates a FIFO at `path`.
void make_fifo(const std::filesystem::path& path);

// Reads one line from the FIFO at `path`; nullopt if no writer delivers a line before `timeout`.
std::optional<std::string> read_fifo_line(const std::filesystem::path& path,
                                          std::chrono::milliseconds timeout);

// True once process `pid` has exited (a zombie counts as exited), false at the deadline.
// Works for any process, not only children, via pidfd_open + poll.
bool wait_for_process_exit(pid_t pid, std::chrono::milliseconds timeout);

// True when no process with this pid exists or it is a zombie.
bool process_gone(pid_t pid);

// Number of threads of this process (from /proc/self/task).
int thread_count();

}  // namespace orch::test
