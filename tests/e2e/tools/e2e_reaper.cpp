// e2e_reaper: runs one end-to-end script as a child subreaper and proves it cleaned up.
//
//   e2e_reaper COMMAND [ARGS...]
//
// Daemons the script starts (dockerd, sshd, host_stub) may be orphaned when the case that
// started them ends; as a subreaper this process adopts and reaps them instead of leaving that
// to PID 1. When COMMAND exits, every process still adopted here is a leak: it is named on
// stderr, killed, and the exit code turns into a failure. SIGTERM/SIGINT/SIGHUP are forwarded to
// COMMAND so that its teardown runs. The exit code is COMMAND's (77 = skipped stays 77).
#include <dirent.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

volatile sig_atomic_t g_child = 0;

void forward_signal(int signo) {
    if (g_child > 0) {
        kill(static_cast<pid_t>(g_child), signo);
    }
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string command_line(pid_t pid) {
    auto text = read_file("/proc/" + std::to_string(pid) + "/cmdline");
    for (auto& c : text) {
        if (c == '\0') {
            c = ' ';
        }
    }
    return text;
}

// The live (not zombie) processes whose parent is this one, adopted orphans included.
std::vector<pid_t> adopted_children() {
    std::vector<pid_t> found;
    const auto self = std::to_string(getpid());
    DIR* proc = opendir("/proc");
    if (proc == nullptr) {
        return found;
    }
    while (const dirent* entry = readdir(proc)) {
        const std::string name = entry->d_name;
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::istringstream status(read_file("/proc/" + name + "/status"));
        std::string line;
        bool zombie = false;
        while (std::getline(status, line)) {
            if (line.rfind("State:", 0) == 0) {
                zombie = line.find('Z') != std::string::npos;
            } else if (line.rfind("PPid:", 0) == 0) {
                std::istringstream value(line.substr(5));
                std::string ppid;
                value >> ppid;
                if (ppid == self && !zombie) {
                    found.push_back(static_cast<pid_t>(std::stol(name)));
                }
                break;
            }
        }
    }
    closedir(proc);
    return found;
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}

// Waits up to `timeout_ms` for `pid` to exit, on a pidfd (no sleeping); gone already is fine.
void wait_for_exit(pid_t pid, int timeout_ms) {
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (fd < 0) {
        return;
    }
    pollfd p{fd, POLLIN, 0};
    while (poll(&p, 1, timeout_ms) < 0 && errno == EINTR) {
    }
    close(fd);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: e2e_reaper COMMAND [ARGS...]\n";
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) != 0) {
        std::perror("e2e_reaper: prctl(PR_SET_CHILD_SUBREAPER)");
        return 2;
    }
    const pid_t child = fork();
    if (child < 0) {
        std::perror("e2e_reaper: fork");
        return 2;
    }
    if (child == 0) {
        execvp(argv[1], argv + 1);
        std::perror("e2e_reaper: exec");
        _exit(127);
    }
    g_child = child;
    struct sigaction action {};
    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    for (const int signo : {SIGTERM, SIGINT, SIGHUP}) {
        sigaction(signo, &action, nullptr);
    }

    int child_status = 0;
    for (;;) {
        int status = 0;
        const pid_t reaped = waitpid(-1, &status, 0);
        if (reaped == child) {
            child_status = status;
            break;
        }
        if (reaped < 0 && errno != EINTR) {
            std::perror("e2e_reaper: waitpid");
            return 2;
        }
    }
    g_child = 0;

    // Bounded: a process stuck in the kernel cannot hold the test run forever.
    std::set<pid_t> leaked;
    for (int round = 0; round < 250; ++round) {
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        const auto pids = adopted_children();
        if (pids.empty()) {
            break;
        }
        for (const pid_t pid : pids) {
            if (leaked.insert(pid).second) {
                std::cerr << "e2e_reaper: LEAK: process " << pid
                          << " outlived the script: " << command_line(pid) << '\n';
            }
            kill(pid, SIGKILL);
        }
        for (const pid_t pid : pids) {
            wait_for_exit(pid, 20);
        }
    }

    const int code = exit_code_of(child_status);
    if (!leaked.empty() && (code == 0 || code == 77)) {
        std::cerr << "e2e_reaper: " << leaked.size() << " leaked process(es): failing\n";
        return 1;
    }
    return code;
}
