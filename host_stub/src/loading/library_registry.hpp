#pragma once
// Owns every plugin library the host has opened, for the rest of the process.
//
// Why libraries are never unloaded: a task's code, vtables, thread_local destructors and atexit
// handlers live in its library, and objects returned by a factory do not keep it loaded. Hosts
// that last (Qt, OBS, LLVM) therefore keep plugin libraries mapped until exit. Two guards do it
// here: libraries are opened with RTLD_NODELETE, so even dlclose() leaves them mapped, and the
// registry is declared before the tasks that use it, so it is destroyed after them.
#include <deque>
#include <filesystem>
#include <mutex>

#include <boost/dll/shared_library.hpp>

namespace orch::host {

class LibraryRegistry {
  public:
    LibraryRegistry() = default;
    LibraryRegistry(const LibraryRegistry&) = delete;
    LibraryRegistry& operator=(const LibraryRegistry&) = delete;

    // dlopen()s `path` (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) and keeps it. Throws
    // std::runtime_error carrying dlerror()'s text when the library cannot be loaded.
    const boost::dll::shared_library& open(const std::filesystem::path& path);

    std::size_t size() const;

  private:
    mutable std::mutex mutex_;
    std::deque<boost::dll::shared_library> libraries_;  // deque: references stay valid
};

}  // namespace orch::host
