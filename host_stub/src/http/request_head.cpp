#include "http/request_head.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <system_error>

#include <Poco/String.h>

namespace orch::host {

namespace {

struct BodyLength {
    bool refused = false;
    std::size_t bytes = 0;
};

// Reads Content-Length and Transfer-Encoding from the header lines of `head` (without the
// request line and the blank line).
BodyLength body_length(std::string_view head) noexcept {
    BodyLength result;
    std::optional<std::size_t> length;
    std::size_t pos = head.find("\r\n");
    while (pos != std::string_view::npos && pos + 2 < head.size()) {
        const std::size_t start = pos + 2;
        const std::size_t end = head.find("\r\n", start);
        const std::string_view line =
            head.substr(start, end == std::string_view::npos ? head.size() - start : end - start);
        pos = end;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;  // malformed: the HTTP parser answers 400 for it
        }
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim_ows(line.substr(colon + 1));
        if (Poco::icompare(name, "Transfer-Encoding") == 0) {
            return {true, 0};  // a body of unknown length: never wait for it
        }
        if (Poco::icompare(name, "Content-Length") == 0) {
            std::size_t parsed = 0;
            const auto [ptr, ec] =
                std::from_chars(value.data(), value.data() + value.size(), parsed);
            if (ec != std::errc() || ptr != value.data() + value.size() || value.empty() ||
                (length && *length != parsed)) {
                return {true, 0};
            }
            length = parsed;
        }
    }
    result.bytes = length.value_or(0);
    return result;
}

}  // namespace

std::string_view trim_ows(std::string_view text) noexcept {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

RequestFraming request_framing(std::string_view received) noexcept {
    constexpr std::string_view kHeadEnd = "\r\n\r\n";
    const std::size_t head_end = received.find(kHeadEnd);
    if (head_end == std::string_view::npos) {
        return {received.size() > kMaxRequestBytes ? RequestReadiness::kRefused
                                                   : RequestReadiness::kIncomplete};
    }
    const std::size_t head_bytes = head_end + kHeadEnd.size();
    const BodyLength body = body_length(received.substr(0, head_end));
    if (body.refused || body.bytes > kMaxRequestBytes - std::min(head_bytes, kMaxRequestBytes) ||
        head_bytes > kMaxRequestBytes) {
        return {RequestReadiness::kRefused};
    }
    if (received.size() < head_bytes + body.bytes) {
        return {RequestReadiness::kIncomplete};
    }
    return {RequestReadiness::kComplete, head_bytes, head_bytes + body.bytes};
}

}  // namespace orch::host
