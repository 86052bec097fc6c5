#include "process_probe.hpp"

#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace orch::pruner::test {
namespace {

constexpr std::chrono::milliseconds kProbeInterval{2};

template <typename Predicate>
bool poll_until(Predicate done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(kProbeInterval);
    }
    return true;
}

}  // namespace

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "runner_test.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string fixture(const std::string& relative) {
    return std::string(ORCH_TEST_FIXTURES_DIR) + "/" + relative;
}

std::optional<std::string> wait_for_file(const std::string& path, std::chrono::milliseconds limit) {
    if (!poll_until([&] { return std::filesystem::exists(path); }, limit)) {
        return std::nullopt;
    }
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
}

std::optional<std::pair<pid_t, pid_t>> parse_pid_pair(const std::string& text) {
    std::istringstream in(text);
    pid_t first = 0;
    pid_t second = 0;
    if (!(in >> first >> second) || first <= 0 || second <= 0) {
        return std::nullopt;
    }
    return std::make_pair(first, second);
}

bool process_gone(pid_t pid, const std::string& comm) {
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
    constexpr std::size_t kCommLength = 15;  // the kernel truncates names to this
    return stat.substr(open + 1, close - open - 1) != comm.substr(0, kCommLength) || state == 'Z' ||
           state == 'X';
}

bool wait_until_gone(pid_t pid, const std::string& comm, std::chrono::milliseconds limit) {
    return poll_until([&] { return process_gone(pid, comm); }, limit);
}

void kill_if_running(pid_t pid, const std::string& comm) {
    if (!process_gone(pid, comm)) {
        ::kill(pid, SIGKILL);
    }
}

std::size_t open_fd_count() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/self/fd")) {
        ++count;
    }
    return count;
}

}  // namespace orch::pruner::test
