#include "core/ssh_target.hpp"

#include <algorithm>

#include "core/shell_quote.hpp"

namespace orch::pruner {

namespace {

constexpr std::size_t kMaxLength = 255;

constexpr std::string_view kHostExpected =
    "expected a host name, ssh_config Host alias or IPv4 address made of letters, digits and "
    ". _ -, or an IPv6 address such as ::1, [::1] or fe80::1%eth0; not starting with '-'";
constexpr std::string_view kUserExpected =
    "expected a user name made of letters, digits and . _ -, not starting with '-' (or leave it "
    "empty to let ssh choose the user)";

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

bool is_ipv6_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
           c == '.';
}

std::string char_text(char c) {
    std::string out = "'";  // appended, not "'" + ...: see quote_for_message (GCC bug 105329)
    out += escape_for_message(std::string_view(&c, 1));
    out += '\'';
    return out;
}

std::string refuse(std::string_view key, std::string_view value, std::string_view kind,
                   std::string_view reason, std::string_view expected) {
    return std::string(key) + " " + quote_for_message(value) + " is not a valid ssh " +
           std::string(kind) + ": " + std::string(reason) + "; " + std::string(expected);
}

// The host as ssh must get it, when acceptable.
Result<std::string> check_host(std::string_view host) {
    const auto fail = [&](std::string_view reason) {
        return failure(refuse("deploy_ssh_host", host, "host", reason, kHostExpected));
    };
    if (host.empty()) {
        return fail("it is empty");
    }
    if (host.size() > kMaxLength) {
        return fail("it is longer than 255 bytes");
    }
    if (host.front() == '-') {
        return fail("it starts with '-' (ssh would read it as an option)");
    }
    for (const char c : host) {
        if (!is_name_char(c) && c != ':' && c != '[' && c != ']' && c != '%') {
            return fail("character " + char_text(c) + " is not allowed");
        }
    }
    std::string_view address = host;
    const bool bracketed = host.front() == '[' && host.back() == ']' && host.size() > 2;
    if (bracketed) {
        address = host.substr(1, host.size() - 2);
    }
    if (address.find_first_of("[]") != std::string_view::npos) {
        return fail("brackets are only allowed around an IPv6 address, as in [::1]");
    }
    const bool has_colon = address.find(':') != std::string_view::npos;
    if (!has_colon) {
        if (bracketed) {
            return fail("brackets are only allowed around an IPv6 address, as in [::1]");
        }
        if (address.find('%') != std::string_view::npos) {
            return fail("'%' is only allowed for the zone of an IPv6 address, as in fe80::1%eth0");
        }
        return success(std::string(address));
    }
    const std::size_t percent = address.find('%');
    const std::string_view ip = address.substr(0, percent);
    if (std::count(ip.begin(), ip.end(), ':') < 2 ||
        !std::all_of(ip.begin(), ip.end(), is_ipv6_char)) {
        return fail("a ':' is only allowed in an IPv6 address (for a port, set deploy_ssh_port)");
    }
    if (percent != std::string_view::npos) {
        const std::string_view zone = address.substr(percent + 1);
        if (zone.empty() || !std::all_of(zone.begin(), zone.end(), is_name_char)) {
            return fail("an IPv6 zone after '%' must be a non-empty interface name");
        }
    }
    return success(std::string(address));
}

Result<void> check_user(std::string_view user) {
    const auto fail = [&](std::string_view reason) {
        return failure(refuse("deploy_ssh_user", user, "user", reason, kUserExpected));
    };
    if (user.size() > kMaxLength) {
        return fail("it is longer than 255 bytes");
    }
    if (!user.empty() && user.front() == '-') {
        return fail("it starts with '-' (ssh would read it as an option)");
    }
    for (const char c : user) {
        if (!is_name_char(c)) {
            return fail("character " + char_text(c) + " is not allowed");
        }
    }
    return {};
}

}  // namespace

Result<std::string> make_ssh_target(std::string_view host, std::string_view user) {
    Result<std::string> bare_host = check_host(host);
    if (!bare_host) {
        return bare_host;
    }
    if (Result<void> checked = check_user(user); !checked) {
        return failure(checked.error());
    }
    return success(user.empty() ? *bare_host : std::string(user) + "@" + *bare_host);
}

}  // namespace orch::pruner
