#include "spawn_floor.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include "task_bench_support.hpp"

namespace orch::bench {

namespace {

constexpr const char* kSetsid = "/usr/bin/setsid";

std::vector<std::string> with_setsid(const std::vector<std::string>& argv) {
    std::vector<std::string> full{kSetsid, "--"};
    full.insert(full.end(), argv.begin(), argv.end());
    return full;
}

std::string read_to_eof(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0) {
            return out;
        } else if (errno != EINTR) {
            throw std::system_error(errno, std::generic_category(), "read from the child");
        }
    }
}

std::string posix_spawn_and_wait(const std::vector<std::string>& argv, short flags) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw std::system_error(errno, std::generic_category(), "pipe2");
    }
    pid_t pid = 0;
    try {
        SpawnFileActions actions;
        posix_spawn_file_actions_adddup2(actions.get(), fds[1], STDOUT_FILENO);
        pid = spawn_child(argv, &actions, flags);
    } catch (...) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw;
    }
    ::close(fds[1]);
    std::string out = read_to_eof(fds[0]);
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error(argv[0] + " did not exit with status 0");
    }
    return out;
}

std::string poco_launch_and_wait(const std::vector<std::string>& argv) {
    Poco::Pipe out_pipe;
    const Poco::Process::Args args(argv.begin() + 1, argv.end());
    Poco::ProcessHandle handle = Poco::Process::launch(argv[0], args, nullptr, &out_pipe, nullptr);
    out_pipe.close(Poco::Pipe::CLOSE_WRITE);
    std::string out = read_to_eof(out_pipe.readHandle());
    if (handle.wait() != 0) {
        throw std::runtime_error(argv[0] + " did not exit with status 0");
    }
    return out;
}

}  // namespace

std::string spawn_and_wait(const std::vector<std::string>& argv, SpawnVia via) {
    switch (via) {
        case SpawnVia::kPosixSpawn:
            return posix_spawn_and_wait(argv, 0);
        case SpawnVia::kPosixSpawnSetsidFlag:
            return posix_spawn_and_wait(argv, POSIX_SPAWN_SETSID);
        case SpawnVia::kPosixSpawnSetsidExec:
            return posix_spawn_and_wait(with_setsid(argv), 0);
        case SpawnVia::kPocoLaunch:
            return poco_launch_and_wait(argv);
        case SpawnVia::kPocoLaunchSetsidExec:
            return poco_launch_and_wait(with_setsid(argv));
    }
    throw std::logic_error("unknown SpawnVia");
}

unsigned long current_nofile_limit() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

ScopedNofileLimit::ScopedNofileLimit(unsigned long soft) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    saved_soft_ = limit.rlim_cur;
    saved_hard_ = limit.rlim_max;
    limit.rlim_cur = soft;
    limit.rlim_max = std::max<rlim_t>(limit.rlim_max, soft);  // raising it needs root
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        throw std::system_error(errno, std::generic_category(),
                                "setrlimit(RLIMIT_NOFILE, " + std::to_string(soft) + ")");
    }
}

ScopedNofileLimit::~ScopedNofileLimit() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = saved_soft_;
    limit.rlim_max = saved_hard_;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace orch::bench
