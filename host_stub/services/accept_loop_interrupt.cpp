#include "services/accept_loop_interrupt.hpp"

#include <sys/socket.h>

namespace orch::host {

void interrupt_accept_loop(Poco::Net::ServerSocket& socket) noexcept {
    // Failure (the socket is already closed) leaves the 250 ms poll as the fallback: stop()
    // is then slower, never wrong.
    (void)::shutdown(socket.impl()->sockfd(), SHUT_RD);
}

}  // namespace orch::host
