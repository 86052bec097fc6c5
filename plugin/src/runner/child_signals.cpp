#include "runner/child_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <mutex>
#include <system_error>

namespace orch::pruner {

namespace {

// Set only around our own launch, so the handler acts on our children alone.
thread_local bool launching_our_child = false;

// Runs in the child between fork() and Poco's exec, in the forking thread (whose TLS the child
// inherits). Only async-signal-safe calls: sigemptyset, sigprocmask, sigaction.
void reset_signals_in_child() {
    if (!launching_our_child) {
        return;
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
    // Handled signals are reset to SIG_DFL by execve anyway; ignored ones survive it.
    for (int sig = 1; sig < NSIG; ++sig) {
        struct sigaction current {};
        if (sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) {
            struct sigaction dfl {};
            dfl.sa_handler = SIG_DFL;
            sigemptyset(&dfl.sa_mask);
            sigaction(sig, &dfl, nullptr);
        }
    }
}

// Registered once per load of this code. Unload-safe: pthread_atfork (libc_nonshared) passes
// this DSO's __dso_handle to __register_atfork, and glibc's __cxa_finalize, run by dlclose,
// calls __unregister_atfork for that handle, so a fork after the plugin is unloaded never
// jumps into unmapped code. A reload registers again (a fresh once_flag in the fresh image).
void install_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        const int error = pthread_atfork(nullptr, nullptr, &reset_signals_in_child);
        if (error != 0) {
            throw std::system_error(error, std::generic_category(),
                                    "pthread_atfork for the child's signal reset");
        }
    });
}

}  // namespace

ChildSignalReset::ChildSignalReset() {
    install_once();
    launching_our_child = true;
}

ChildSignalReset::~ChildSignalReset() {
    launching_our_child = false;
}

}  // namespace orch::pruner
