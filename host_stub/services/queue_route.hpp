#pragma once
// What the /queue server answers to a method and path, decided without any I/O.
#include <string>
#include <string_view>

namespace orch::host {

inline constexpr std::string_view kQueuePath = "/queue";

enum class QueueRoute {
    kRenderQueue,       // 200 with the rendered queue JSON
    kNotFound,          // 404
    kMethodNotAllowed,  // 405 with "Allow: GET"
};

// `target` is the request target as sent (a query string is ignored).
QueueRoute route_queue_request(std::string_view method, std::string_view target) noexcept;

// {"error": <message>, "status": <code>} as text.
std::string json_error_body(int status, std::string_view message);

}  // namespace orch::host
