#include "support/process_probe.hpp"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace orch::test {

namespace {

std::size_t entries_in(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) {
        ++n;
    }
    return n;
}

}  // namespace

bool process_gone(pid_t pid, std::string_view comm) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) {
        return true;
    }
    // "<pid> (<comm>) <state> ..."; comm may hold spaces, so split at the last ')'.
    const auto open = stat.find('(');
    const auto close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 >= stat.size()) {
        return true;
    }
    const char state = stat[close + 2];
    if (state == 'Z' || state == 'X') {
        return true;
    }
    constexpr std::size_t kCommLength = 15;  // the kernel truncates names to this
    return !comm.empty() &&
           std::string_view(stat).substr(open + 1, close - open - 1) != comm.substr(0, kCommLength);
}

void kill_if_running(pid_t pid, std::string_view comm) {
    if (!process_gone(pid, comm)) {
        ::kill(pid, SIGKILL);
    }
}

int thread_count() {
    return static_cast<int>(entries_in("/proc/self/task"));
}

int thread_count(std::string_view name) {
    int n = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string line;
        if (std::getline(comm, line) && line == name) {
            ++n;
        }
    }
    return n;
}

int settled_thread_count(std::string_view name, int expected, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int count = thread_count(name);
    while (count != expected && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
        count = thread_count(name);
    }
    return count;
}

std::size_t open_fd_count() {
    return entries_in("/proc/self/fd");
}

}  // namespace orch::test
