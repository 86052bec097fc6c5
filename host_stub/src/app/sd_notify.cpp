#include "app/sd_notify.hpp"

#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace orch::host {

namespace {

// The value as it appears in a message: bounded (the logger escapes control bytes).
std::string shown(std::string_view value) {
    constexpr std::size_t kMax = 160;
    return value.size() <= kMax ? std::string(value) : std::string(value.substr(0, kMax)) + "...";
}

}  // namespace

Result<NotifyAddress> parse_notify_socket(std::string_view value) {
    NotifyAddress result;
    result.address.sun_family = AF_UNIX;
    const auto quoted = [&value] { return "NOTIFY_SOCKET '" + shown(value) + "'"; };
    if (value.empty() || (value.front() != '/' && value.front() != '@')) {
        return {boost::system::in_place_error,
                quoted() + ": expected an absolute path or '@' and a name"};
    }
    if (value.find('\0') != std::string_view::npos) {
        return {boost::system::in_place_error, quoted() + ": holds a NUL byte"};
    }
    // A path needs its terminating NUL inside sun_path; an abstract name does not.
    const bool abstract = value.front() == '@';
    const std::size_t capacity = sizeof(result.address.sun_path) - (abstract ? 0 : 1);
    if (value.size() > capacity) {
        return {boost::system::in_place_error,
                quoted() + ": longer than " + std::to_string(capacity) + " bytes"};
    }
    std::memcpy(result.address.sun_path, value.data(), value.size());
    if (abstract) {
        result.address.sun_path[0] = '\0';
    }
    result.length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + value.size() + (abstract ? 0 : 1));
    return result;
}

std::optional<std::string> notify_service_manager(const Environment& env, std::string_view state) {
    const auto it = env.find("NOTIFY_SOCKET");
    if (it == env.end() || it->second.empty()) {
        return std::nullopt;
    }
    const Result<NotifyAddress> parsed = parse_notify_socket(it->second);
    if (!parsed) {
        return parsed.error();
    }
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return std::string("cannot create a socket for NOTIFY_SOCKET: ") + std::strerror(errno);
    }
    // sockaddr_un to sockaddr is the socket API's own cast.
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    const auto* address = reinterpret_cast<const sockaddr*>(&parsed->address);
    const ssize_t sent =
        ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, address, parsed->length);
    const int send_errno = errno;
    ::close(fd);
    if (sent < 0 || static_cast<std::size_t>(sent) != state.size()) {
        return "cannot send '" + std::string(state) + "' to NOTIFY_SOCKET '" + shown(it->second) +
               "': " + (sent < 0 ? std::strerror(send_errno) : "short write");
    }
    return std::nullopt;
}

}  // namespace orch::host
