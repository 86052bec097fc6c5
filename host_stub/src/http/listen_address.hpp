#pragma once
// "HOST:PORT" for --listen. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "result.hpp"

namespace orch::host {

struct ListenAddress {
    std::string host;  // IPv4, IPv6 (without brackets) or a host name
    std::uint16_t port = 0;

    // "127.0.0.1:8080", "[::1]:0", "localhost:80".
    std::string to_string() const;
    bool operator==(const ListenAddress&) const = default;
};

// Accepts IPV4:PORT, [IPV6]:PORT and HOSTNAME:PORT with PORT in 0..65535 (0 = any free port).
// The error names the value and the expected form.
Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace orch::host
