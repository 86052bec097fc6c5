#include "support/file_wait.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <functional>
#include <system_error>

#include "support/fd_wait.hpp"
#include "support/temp_dir.hpp"

namespace orch::test {

namespace {

struct InotifyFd {
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    ~InotifyFd() {
        if (fd >= 0) {
            close(fd);
        }
    }
};

// Re-checks `done` after every change in the file's directory until it holds or the deadline.
bool wait_for_change(const std::filesystem::path& path, const std::function<bool()>& done,
                     std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    const InotifyFd inotify;
    if (inotify.fd < 0) {
        throw std::system_error(errno, std::generic_category(), "inotify_init1");
    }
    // Watch before the first look, so a write between the look and the wait is not missed.
    // IN_MOVED_TO: fixtures publish files atomically by renaming them into place.
    const auto dir = path.parent_path();
    const auto events = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_MOVED_TO;
    if (inotify_add_watch(inotify.fd, dir.c_str(), events) < 0) {
        throw std::system_error(errno, std::generic_category(),
                                "inotify_add_watch " + dir.string());
    }
    bool found = done();
    while (!found && wait_readable(inotify.fd, deadline)) {
        std::array<char, 4096> drained{};
        while (read(inotify.fd, drained.data(), drained.size()) > 0) {
        }
        found = done();
    }
    return found;
}

}  // namespace

std::optional<std::string> wait_for_file(const std::filesystem::path& path,
                                         std::chrono::milliseconds timeout) {
    if (!wait_for_change(
            path, [&] { return std::filesystem::exists(path); }, timeout)) {
        return std::nullopt;
    }
    return read_file(path);
}

bool wait_for_file_text(const std::filesystem::path& path, const std::string& needle,
                        std::chrono::milliseconds timeout) {
    return wait_for_change(
        path, [&] { return read_file(path).find(needle) != std::string::npos; }, timeout);
}

}  // namespace orch::test
