#pragma once
// Our children start with an empty signal mask and default dispositions, whatever the host's
// threads have blocked or ignored. The host blocks SIGINT/SIGTERM/SIGPIPE in every thread for
// its signalfd (and may ignore SIGPIPE); execve keeps both the mask and SIG_IGN, so without this
// ssh, and everything it starts, would ignore an operator's `kill`. The host's own threads are
// left alone: only the forked child changes.

namespace orch::pruner {

// While one of these lives, a fork() from THIS thread (Poco::Process::launch) resets the
// child's signal mask and ignored dispositions before the exec. Other threads' forks (the
// host's, other plugins') are not touched.
class ChildSignalReset {
  public:
    ChildSignalReset();
    ~ChildSignalReset();
    ChildSignalReset(const ChildSignalReset&) = delete;
    ChildSignalReset& operator=(const ChildSignalReset&) = delete;
};

}  // namespace orch::pruner
