#pragma once
// Waiting on events with a deadline: a line written into a FIFO by a fake script, or the exit of
// any process (pidfd). A process wait is defined by process_gone, hence that header comes along.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "support/process_probe.hpp"

namespace orch::test {

// Creates a FIFO at `path`.
void make_fifo(const std::filesystem::path& path);

// Reads one line from the FIFO at `path`; nullopt if no writer delivers a line before `timeout`.
std::optional<std::string> read_fifo_line(const std::filesystem::path& path,
                                          std::chrono::milliseconds timeout);

// True once process `pid` is gone in the sense of process_gone(pid, comm) (a zombie counts as
// exited; with `comm`, so does a reused pid), false at the deadline. Works for any process, not
// only children, via pidfd_open + poll.
bool wait_for_process_exit(pid_t pid, std::chrono::milliseconds timeout,
                           std::string_view comm = {});

}  // namespace orch::test
