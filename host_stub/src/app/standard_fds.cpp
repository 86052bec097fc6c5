#include "app/standard_fds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace orch::host {

bool ensure_standard_fds_open() noexcept {
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) {
            continue;
        }
        // The lowest free number is `fd` itself, as the lower ones are open by now; dup2 keeps
        // this right even if that ever changes. No O_CLOEXEC: children get the same standard
        // descriptors as the host.
        const int opened = ::open("/dev/null", O_RDWR);
        if (opened < 0) {
            return false;
        }
        if (opened != fd) {
            const bool moved = ::dup2(opened, fd) == fd;
            ::close(opened);
            if (!moved) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace orch::host
