#pragma once
// What the accept loop hands a worker, and what a worker's turn leaves of a connection.
#include <cstddef>
#include <memory>
#include <string>

#include <Poco/Net/StreamSocket.h>

namespace orch::host {

// A connection after a worker's turn: an answer its client's socket had no room for yet (sent
// on later, as the client reads, by whichever worker then takes it), and whether it then waits
// for the client's next request (otherwise it is closed once all is sent).
struct Outstanding {
    std::string answer;    // empty when the whole answer went at once
    std::size_t sent = 0;  // of `answer`, written so far
    bool keep = false;
    bool pending() const noexcept { return sent < answer.size(); }
};

// The connection is handed over whole: whoever holds this keeps no copy elsewhere. Poco 1.11
// sockets are reference-counted handles without move semantics, and that count lives in
// uninstrumented Poco code, so a copy released on one thread while another uses its own would
// look like a race to TSan (and a handle shared by two threads is worth avoiding anyway).
struct ReadyRequest {
    std::unique_ptr<Poco::Net::StreamSocket> connection;
    // Either its next request has arrived in full (head and body, per request_framing) ...
    std::size_t bytes = 0;
    // ... or (`rest.pending()`) it can take more of its last answer now.
    Outstanding rest;
};

}  // namespace orch::host
