#pragma once
// Starting the child: posix_spawn into a new session, stdio on the given descriptors, every other
// descriptor closed. This is what Poco::Process::launch through setsid(1) did, at the cost of the
// floor: Poco 1.11's fork+exec child calls close() on every fd number below the soft
// RLIMIT_NOFILE (20000 here, 1048576 in many containers) and setsid(1) is a second exec; both
// made a tick 4-5x the cost of a bare posix_spawn (bench/RESULTS.md, figure 2).
#include <sys/types.h>

#include <string>
#include <vector>

namespace orch::pruner {

struct ChildStdio {
    int in;   // becomes the child's fd 0
    int out;  // fd 1
    int err;  // fd 2
};

// Runs `executable` (a path) with argv (argv[0] as given) and the current environment. The child
// leads a new session and process group (pgid == its pid), has an empty signal mask and SIGPIPE
// at its default action whatever the host set, and inherits no descriptor beyond `stdio`.
// Returns its pid; throws std::system_error naming the executable when it cannot be started
// (posix_spawn reports exec failures too).
pid_t spawn_in_new_session(const std::string& executable, const std::vector<std::string>& argv,
                           const ChildStdio& stdio);

}  // namespace orch::pruner
