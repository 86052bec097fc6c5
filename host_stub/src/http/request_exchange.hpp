#pragma once
// One request of a connection, answered. The accept loop has seen the whole request arrive, so
// nothing here waits for the client: exactly its bytes are read (a keep-alive client's next
// request, if already sent, stays in the socket), Poco's parser reads the head, the handler
// answers, and head and body are written without waiting. What could not be written yet, and
// whether the connection may carry another request, is returned; the caller then hands it back
// to the accept loop or closes it.
#include <cstddef>
#include <string>
#include <string_view>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/StreamSocket.h>

#include "http/ready_request.hpp"

namespace orch::host {

struct Reply {
    int status = 200;
    std::string_view content_type;  // static text
    std::string body;
    std::string_view allow = {};  // an Allow header when not empty
};

class RequestHandler {
  public:
    virtual ~RequestHandler() = default;
    // Called on several worker threads at once: must be thread-safe.
    virtual Reply answer(const Poco::Net::HTTPRequest& request) const = 0;
    // The 400 for a request head Poco's parser refused; `why` is its message.
    virtual Reply malformed(std::string_view why) const = 0;
};

// A worker's turn on a connection the accept loop handed it: serves its request, or sends on
// the rest of its last answer. Never waits for the client: what its socket has no room for is
// returned (`unsent`), for the accept loop to hold until the client reads. `keep` is true when
// the client lets the connection stay open and the exchange went well; false after a malformed
// head (where the next request would start is not known), a client that said close (or
// HTTP/1.0 without keep-alive), or a client that hung up. Socket errors are thrown
// (Poco::Exception, std::system_error): the connection is then unusable; so is
// std::runtime_error for a client whose earlier answers are still unsent in the kernel when its
// next request is taken (it does not read them).
Outstanding take_turn(ReadyRequest& ready, const RequestHandler& handler);

}  // namespace orch::host
