#pragma once
// Spawning a command and collecting its stdout without the runner: the floor a tick is compared
// with, and the steps between that floor and run_process (an extra setsid exec, Poco's
// fork+exec, the soft RLIMIT_NOFILE Poco's child walks), so a gap can be attributed.
#include <string>
#include <vector>

namespace orch::bench {

enum class SpawnVia {
    kPosixSpawn,            // posix_spawn(argv): the floor
    kPosixSpawnSetsidFlag,  // posix_spawn with POSIX_SPAWN_SETSID: a new group, no extra exec
    kPosixSpawnSetsidExec,  // posix_spawn("/usr/bin/setsid -- argv"): what the runner execs
    kPocoLaunch,            // Poco::Process::launch(argv) with stdout on a Poco::Pipe
    kPocoLaunchSetsidExec,  // Poco::Process::launch("/usr/bin/setsid -- argv")
};

// Runs argv (argv[0] a path) with stdout on a pipe, reads it to EOF, waits for the child.
// Returns its stdout; throws std::runtime_error when the spawn fails or the exit status is not 0.
std::string spawn_and_wait(const std::vector<std::string>& argv, SpawnVia via);

// Sets the soft RLIMIT_NOFILE for the object's lifetime (Poco's child closes every fd below it),
// raising the hard limit too when needed (root only); throws when the kernel refuses.
class ScopedNofileLimit {
  public:
    explicit ScopedNofileLimit(unsigned long soft);
    ~ScopedNofileLimit();
    ScopedNofileLimit(const ScopedNofileLimit&) = delete;
    ScopedNofileLimit& operator=(const ScopedNofileLimit&) = delete;

  private:
    unsigned long saved_soft_ = 0;
    unsigned long saved_hard_ = 0;
};

// The soft RLIMIT_NOFILE now.
unsigned long current_nofile_limit();

}  // namespace orch::bench
