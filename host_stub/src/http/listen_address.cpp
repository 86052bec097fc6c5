#include "http/listen_address.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

namespace orch::host {

namespace {

constexpr std::string_view kExpected =
    "expected HOST:PORT such as 127.0.0.1:8080, [::1]:8080 or localhost:8080, with PORT in "
    "0..65535";

Result<ListenAddress> failure(std::string_view text, std::string_view why) {
    return {boost::system::in_place_error, "invalid listen address '" + std::string(text) + "': " +
                                               std::string(why) + "; " + std::string(kExpected)};
}

bool is_ipv6_text(std::string_view host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
    });
}

// Letters, digits, '-' and '.' (dotted IPv4 is a special case of this).
bool is_hostname_text(std::string_view host) {
    return !host.empty() && host.front() != '-' && host.front() != '.' &&
           std::all_of(host.begin(), host.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
           });
}

}  // namespace

std::string ListenAddress::to_string() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> parse_listen_address(std::string_view text) {
    if (text.empty()) {
        return failure(text, "it is empty");
    }
    std::string_view host;
    std::string_view port_text;
    if (text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            return failure(text, "'[' without a matching ']'");
        }
        host = text.substr(1, close - 1);
        const std::string_view rest = text.substr(close + 1);
        if (rest.empty() || rest.front() != ':') {
            return failure(text, "no ':PORT' after the bracketed address");
        }
        port_text = rest.substr(1);
        if (!is_ipv6_text(host) || host.find(':') == std::string_view::npos) {
            return failure(text, "the bracketed part is not an IPv6 address");
        }
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return failure(text, "no ':PORT'");
        }
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return failure(text, "an IPv6 address must be in brackets");
        }
        if (host.empty()) {
            return failure(text, "no host");
        }
        if (!is_hostname_text(host)) {
            return failure(text, "the host is not an IPv4 address or a host name");
        }
    }
    if (port_text.empty()) {
        return failure(text, "no port");
    }
    unsigned long port = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
    if (ec != std::errc() || ptr != end || port_text.front() == '+') {
        return failure(text, "the port is not a number");
    }
    if (port > 65535) {
        return failure(text, "the port is out of range");
    }
    return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace orch::host
