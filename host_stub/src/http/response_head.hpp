#pragma once
// The status line and headers of every answer of the /queue server, written without any I/O.
// Every answer has a body of known length, so Content-Length always frames it (a kept-alive
// client finds the next answer right behind it), and Connection says whether the server keeps
// the connection open after it.
#include <cstddef>
#include <string>
#include <string_view>

namespace orch::host {

struct ResponseHead {
    bool http_1_0 = false;  // answer an HTTP/1.0 request as HTTP/1.0, anything else as HTTP/1.1
    int status = 200;
    std::string_view reason;  // "OK"
    std::string_view date;    // an HTTP date: "Sun, 06 Nov 1994 08:49:37 GMT"
    std::string_view content_type;
    std::size_t content_length = 0;  // of the body this answer would carry (also for HEAD)
    std::string_view allow;          // an Allow header when not empty
    bool keep_alive = false;
};

// Appends the head, blank line included, to `out`. Every answer is a live snapshot, so each
// also says Cache-Control: no-store.
void append_response_head(std::string& out, const ResponseHead& head);

// The HTTP date (RFC 9110 section 5.6.7) of a time in seconds since the epoch.
std::string http_date(long long seconds_since_epoch);

}  // namespace orch::host
