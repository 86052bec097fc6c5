#pragma once
// Whether a client lets its connection stay open after the answer (HTTP/1.1 section 9.3 of RFC
// 9112), decided without any I/O. The server only keeps a connection when this says yes and the
// exchange went well; an open connection then waits in the accept loop, holding no thread.
#include <string_view>

namespace orch::host {

// `version` as in the request line ("HTTP/1.1"); `connection` is every Connection header value
// of the request joined with commas (empty when there is none). HTTP/1.1 stays open unless the
// client said "close"; HTTP/1.0 only when it asked for "keep-alive" (and not "close"); any
// other version is closed.
bool client_keeps_connection(std::string_view version, std::string_view connection) noexcept;

}  // namespace orch::host
