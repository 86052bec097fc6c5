#pragma once
// Waiting on a file written by another process (a fake script, the host's log): inotify events
// for the file's directory wake the wait, a deadline bounds it. Never a timer.
#include <chrono>
#include <filesystem>
#include <string>

namespace orch::test {

// True once `path` contains `needle`, false at the deadline.
bool wait_for_file_text(const std::filesystem::path& path, const std::string& needle,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace orch::test
