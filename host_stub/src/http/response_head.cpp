#include "http/response_head.hpp"

#include <charconv>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace orch::host {

namespace {

void append_number(std::string& out, std::size_t value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
}

}  // namespace

void append_response_head(std::string& out, const ResponseHead& head) {
    out.append(head.http_1_0 ? "HTTP/1.0 " : "HTTP/1.1 ");
    append_number(out, static_cast<std::size_t>(head.status));
    out.push_back(' ');
    out.append(head.reason);
    out.append("\r\n");
    append_header(out, "Date", head.date);
    append_header(out, "Content-Type", head.content_type);
    out.append("Content-Length: ");
    append_number(out, head.content_length);
    out.append("\r\n");
    append_header(out, "Cache-Control", "no-store");
    if (!head.allow.empty()) {
        append_header(out, "Allow", head.allow);
    }
    append_header(out, "Connection", head.keep_alive ? "keep-alive" : "close");
    out.append("\r\n");
}

std::string http_date(long long seconds_since_epoch) {
    return Poco::DateTimeFormatter::format(
        Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(seconds_since_epoch)),
        Poco::DateTimeFormat::HTTP_FORMAT);
}

}  // namespace orch::host
