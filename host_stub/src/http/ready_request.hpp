#pragma once
// A connection whose next request has arrived in full, as the accept loop hands it to a worker.
#include <cstddef>
#include <memory>

#include <Poco/Net/StreamSocket.h>

namespace orch::host {

// The connection is handed over whole: whoever holds this keeps no copy elsewhere. Poco 1.11
// sockets are reference-counted handles without move semantics, and that count lives in
// uninstrumented Poco code, so a copy released on one thread while another uses its own would
// look like a race to TSan (and a handle shared by two threads is worth avoiding anyway).
struct ReadyRequest {
    std::unique_ptr<Poco::Net::StreamSocket> connection;
    std::size_t bytes = 0;  // the request's length, head and body (request_framing), all arrived
};

}  // namespace orch::host
