#pragma once
// A small blocking HTTP client for tests (one request per connection).
#include <chrono>
#include <cstdint>
#include <string>

#include <Poco/Net/StreamSocket.h>

namespace orch::host::testing {

struct HttpReply {
    int status = 0;
    std::string content_type;
    std::string allow;
    std::string body;
};

HttpReply http_request(const std::string& host, std::uint16_t port, const std::string& method,
                       const std::string& path);

// Sends `bytes` as they are on a new connection and returns everything the server sends until it
// closes the connection (or `timeout` passes: then what arrived so far).
std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A connection to 127.0.0.1:port that has sent `bytes` (possibly nothing) and is left open.
Poco::Net::StreamSocket open_connection(std::uint16_t port, const std::string& bytes = "");

// True once the server has closed `socket` (EOF or reset; any bytes it sent are discarded),
// false at the deadline.
bool wait_for_close(Poco::Net::StreamSocket& socket, std::chrono::milliseconds timeout);

// The first line of an HTTP response ("HTTP/1.1 404 Not Found"), without CRLF.
std::string status_line(const std::string& response);

// A loopback port that was bound and closed again, so nothing listens on it.
std::uint16_t closed_loopback_port();

}  // namespace orch::host::testing
