#pragma once
// A small blocking HTTP client for tests (one request per connection).
#include <cstdint>
#include <string>

namespace orch::host::testing {

struct HttpReply {
    int status = 0;
    std::string content_type;
    std::string allow;
    std::string body;
};

HttpReply http_request(const std::string& host, std::uint16_t port, const std::string& method,
                       const std::string& path);

// A loopback port that was bound and closed again, so nothing listens on it.
std::uint16_t closed_loopback_port();

}  // namespace orch::host::testing
