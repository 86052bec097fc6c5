#pragma once
// Poco 1.11's TCPServer looks at its stop flag only between 250 ms polls of the listening socket,
// so a plain stop() takes up to a quarter of a second: all of host_stub's SIGTERM-to-exit time.
// Shutting the listening socket down ends that poll at once (Linux reports it readable, accept
// fails, the loop goes round and sees the flag) without accepting anything: no connection is
// dispatched to a worker that could outlive the server.
#include <Poco/Net/ServerSocket.h>

namespace orch::host {

// After this, the socket accepts nothing: call it only on the way to stopping the server.
void interrupt_accept_loop(Poco::Net::ServerSocket& socket) noexcept;

}  // namespace orch::host
