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

// `received` is what has arrived so far (at most kMaxRequestBytes + 1 bytes are looked at).
RequestReadiness request_readiness(std::string_view received) noexcept;

}  // namespace orch::host
