#pragma once
// Whether the bytes a client has sent so far hold a whole request, decided without any I/O. The
// accept loop only hands a connection to a worker thread once they do, so a client that is idle
// or sends half a request never holds a worker (a handful of them could starve everyone else).
#include <cstddef>
#include <string_view>

namespace orch::host {

// Head plus body; GET /queue needs neither a big head nor any body.
inline constexpr std::size_t kMaxRequestBytes = 16 * 1024;

enum class RequestReadiness {
    kIncomplete,  // the head (and the body its Content-Length announces) has not all arrived
    kComplete,    // all of it is there: a worker can read it without waiting
    kRefused,     // too big, a body without a Content-Length (chunked), or a malformed length
};

// Where the first request in what has arrived ends. A keep-alive client may already have sent
// (part of) its next request behind it: a worker reads exactly `bytes`, so those stay in the
// socket for the next round in the accept loop instead of in a parser's buffer.
struct RequestFraming {
    RequestReadiness readiness = RequestReadiness::kIncomplete;
    std::size_t head_bytes = 0;  // request line and headers with the blank line (when complete)
    std::size_t bytes = 0;       // head and body (when complete)
};

// `received` is what has arrived so far (at most kMaxRequestBytes + 1 bytes are looked at).
RequestFraming request_framing(std::string_view received) noexcept;

// `text` without the spaces and tabs HTTP allows around a header value or list item (OWS).
std::string_view trim_ows(std::string_view text) noexcept;

inline RequestReadiness request_readiness(std::string_view received) noexcept {
    return request_framing(received).readiness;
}

}  // namespace orch::host
