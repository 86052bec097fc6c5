#pragma once
// What the server answers to a method and path, decided without any I/O: the route table of GET
// /queue and GET /metrics. http/ holds the server (accept loop, request head, listen address,
// queue_http_server) and this table; another route gets a value here to dispatch on.
#include <string>
#include <string_view>

namespace orch::host {

inline constexpr std::string_view kQueuePath = "/queue";
inline constexpr std::string_view kMetricsPath = "/metrics";

enum class QueueRoute {
    kRenderQueue,       // 200 with the rendered queue JSON
    kRenderMetrics,     // 200 with the Prometheus exposition text
    kNotFound,          // 404
    kMethodNotAllowed,  // 405 with "Allow: GET" (on a known path)
};

// `target` is the request target as sent (a query string is ignored).
QueueRoute route_queue_request(std::string_view method, std::string_view target) noexcept;

// {"error": <message>, "status": <code>} as text.
std::string json_error_body(int status, std::string_view message);

}  // namespace orch::host
