#include "runner/session_spawn.hpp"

#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <system_error>

extern char** environ;

namespace orch::pruner {
namespace {

void check(int rc, const char* what) {
    if (rc != 0) {
        throw std::system_error(rc, std::generic_category(), what);
    }
}

class FileActions {
  public:
    FileActions() { check(::posix_spawn_file_actions_init(&actions_), "posix_spawn_file_actions"); }
    ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

  private:
    posix_spawn_file_actions_t actions_{};
};

class SpawnAttributes {
  public:
    SpawnAttributes() { check(::posix_spawnattr_init(&attr_), "posix_spawnattr_init"); }
    ~SpawnAttributes() { ::posix_spawnattr_destroy(&attr_); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
    posix_spawnattr_t* get() { return &attr_; }

  private:
    posix_spawnattr_t attr_{};
};

}  // namespace

pid_t spawn_in_new_session(const std::string& executable, const std::vector<std::string>& argv,
                           const ChildStdio& stdio) {
    FileActions actions;
    check(::posix_spawn_file_actions_adddup2(actions.get(), stdio.in, STDIN_FILENO), "adddup2");
    check(::posix_spawn_file_actions_adddup2(actions.get(), stdio.out, STDOUT_FILENO), "adddup2");
    check(::posix_spawn_file_actions_adddup2(actions.get(), stdio.err, STDERR_FILENO), "adddup2");
    // One close_range() in the child, however high RLIMIT_NOFILE is (glibc >= 2.34): nothing the
    // host opened without O_CLOEXEC reaches ssh.
    check(::posix_spawn_file_actions_addclosefrom_np(actions.get(), STDERR_FILENO + 1),
          "addclosefrom_np");

    SpawnAttributes attr;
    // A host commonly blocks signals in its threads (to sigwait for them) and ignores SIGPIPE;
    // exec keeps both, and ssh should see neither.
    sigset_t empty;
    sigemptyset(&empty);
    sigset_t to_default;
    sigemptyset(&to_default);
    sigaddset(&to_default, SIGPIPE);
    check(::posix_spawnattr_setsigmask(attr.get(), &empty), "posix_spawnattr_setsigmask");
    check(::posix_spawnattr_setsigdefault(attr.get(), &to_default),
          "posix_spawnattr_setsigdefault");
    check(::posix_spawnattr_setflags(
              attr.get(), static_cast<short>(POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                             POSIX_SPAWN_SETSIGDEF)),
          "posix_spawnattr_setflags");

    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc =
        ::posix_spawn(&pid, executable.c_str(), actions.get(), attr.get(), args.data(), environ);
    if (rc != 0) {
        throw std::system_error(rc, std::generic_category(), "cannot run '" + executable + "'");
    }
    return pid;
}

}  // namespace orch::pruner
