#pragma once
// Waiting on a file written by another process (a fake script, the host's log): inotify events
// for the file's directory wake the wait, a deadline bounds it. Never a timer.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace orch::test {

// The content of `path` once it exists, nullopt if it does not appear before the deadline.
std::optional<std::string> wait_for_file(const std::filesystem::path& path,
                                         std::chrono::milliseconds timeout);

// True once `path` contains `needle`, false at the deadline.
bool wait_for_file_text(const std::filesystem::path& path, const std::string& needle,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace orch::test
