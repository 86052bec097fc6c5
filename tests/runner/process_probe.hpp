#pragma once
// Test helpers that wait on events with a deadline (never a fixed sleep): a file appearing, a
// process disappearing. Plus a scratch directory removed at scope exit.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace orch::pruner::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

std::string fixture(const std::string& relative);  // ORCH_TEST_FIXTURES_DIR/relative

// Waits until `path` exists and returns its content, or nullopt at the deadline.
std::optional<std::string> wait_for_file(const std::string& path, std::chrono::milliseconds limit);

// "<pid> <pid>" as the spawn fixtures write it.
std::optional<std::pair<pid_t, pid_t>> parse_pid_pair(const std::string& text);

// A process is gone when /proc has no entry for it, it is a zombie (dead; a reparented
// grandchild may stay one if init does not reap) or the pid now names another program.
bool process_gone(pid_t pid, const std::string& comm);
bool wait_until_gone(pid_t pid, const std::string& comm, std::chrono::milliseconds limit);
// Cleanup after a failed expectation, so a broken runner does not leave sleeps behind.
void kill_if_running(pid_t pid, const std::string& comm);

std::size_t open_fd_count();

}  // namespace orch::pruner::test
