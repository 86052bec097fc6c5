#pragma once
// A small blocking HTTP client for tests: whole requests (one per connection), and raw bytes
// on connections kept open (keep-alive, pipelining).
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

// One whole response read from `socket` (head, then as many body bytes as its Content-Length
// says; none for the answer to a HEAD request when `head_only`), or what arrived until the
// server closed or `timeout` passed.
std::string receive_response(Poco::Net::StreamSocket& socket,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10),
                             bool head_only = false);

// Sends `request` on an open connection and returns the one response to it (receive_response).
std::string exchange_on(Poco::Net::StreamSocket& socket, const std::string& request,
                        bool head_only = false);

// The value of header `name` in a response ("" when absent); the name in any case.
std::string header_value(const std::string& response, const std::string& name);

// The body of a response: what follows its blank line.
std::string body_of(const std::string& response);

// The first line of an HTTP response ("HTTP/1.1 404 Not Found"), without CRLF.
std::string status_line(const std::string& response);

// A loopback port that was bound and closed again, so nothing listens on it.
std::uint16_t closed_loopback_port();

}  // namespace orch::host::testing
