#pragma once
// A launched child that leads its own process group, and the group it leads. Knows when the
// child has exited without reaping it, so the group id cannot be reused while we still signal
// it; kills the whole group; reaps the child exactly once (also from the destructor, so no
// path leaves a zombie or a running group behind).
#include <sys/types.h>

#include <optional>

#include <Poco/Process.h>

namespace orch::pruner {

struct ChildExit {
    bool signalled = false;
    int code = -1;   // exit status when !signalled
    int signal = 0;  // terminating signal when signalled
};

class ChildGroup {
  public:
    explicit ChildGroup(const Poco::ProcessHandle& handle);
    ~ChildGroup();
    ChildGroup(const ChildGroup&) = delete;
    ChildGroup& operator=(const ChildGroup&) = delete;

    // Readable once the child has exited (a pidfd); -1 when the kernel offers none, in which
    // case callers poll exited() on a short tick.
    int exit_fd() const noexcept { return pidfd_; }
    // Whether the child has exited (or is gone); does not reap it (waitid WNOWAIT).
    bool has_exited();
    // SIGKILL to the process group and to the child itself (the latter covers the instant
    // before setsid() made the group). Harmless once everything is dead; never after reaping.
    void kill_group() noexcept;
    // Waits for the child to exit (kill_group() first unless it has), then reaps it through
    // Poco. nullopt when the status could not be obtained (someone else reaped it).
    std::optional<ChildExit> reap();

  private:
    Poco::ProcessHandle handle_;
    pid_t pid_;
    int pidfd_ = -1;
    bool reaped_ = false;
};

}  // namespace orch::pruner
