#include "http/keep_alive.hpp"

#include <cstddef>

#include <Poco/String.h>

#include "http/request_head.hpp"

namespace orch::host {

namespace {

// Whether the comma-separated list holds `token` (surrounding blanks ignored, any case).
bool has_token(std::string_view list, std::string_view token) noexcept {
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = trim_ows(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (Poco::icompare(item, token) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

bool client_keeps_connection(std::string_view version, std::string_view connection) noexcept {
    if (has_token(connection, "close")) {
        return false;
    }
    if (version == "HTTP/1.1") {
        return true;
    }
    return version == "HTTP/1.0" && has_token(connection, "keep-alive");
}

}  // namespace orch::host
