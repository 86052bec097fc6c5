#pragma once
// systemd's readiness protocol without libsystemd: one datagram ("READY=1", "STOPPING=1") to the
// AF_UNIX socket named by $NOTIFY_SOCKET. The unit uses Type=notify, so systemd reports the
// service started only once /queue answers. Without NOTIFY_SOCKET nothing is sent.
#include <optional>
#include <string>
#include <string_view>

#include <sys/socket.h>
#include <sys/un.h>

#include "result.hpp"
#include "text/environment.hpp"

namespace orch::host {

struct NotifyAddress {
    sockaddr_un address{};
    socklen_t length = 0;
};

// Pure: "/path" is a filesystem socket, "@name" an abstract one (leading NUL). Anything else, an
// embedded NUL or a name too long for sun_path is an error naming the value.
Result<NotifyAddress> parse_notify_socket(std::string_view value);

// Sends `state` to $NOTIFY_SOCKET from `env`. Returns an error message when NOTIFY_SOCKET is set
// but the datagram could not be sent; nullopt when sent or when NOTIFY_SOCKET is unset/empty.
std::optional<std::string> notify_service_manager(const Environment& env, std::string_view state);

}  // namespace orch::host
