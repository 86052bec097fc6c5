#include "http/queue_route.hpp"

#include <boost/json.hpp>

namespace orch::host {

QueueRoute route_queue_request(std::string_view method, std::string_view target) noexcept {
    const std::string_view path = target.substr(0, target.find_first_of("?#"));
    QueueRoute found;
    if (path == kQueuePath) {
        found = QueueRoute::kRenderQueue;
    } else if (path == kMetricsPath) {
        found = QueueRoute::kRenderMetrics;
    } else {
        return QueueRoute::kNotFound;
    }
    return method == "GET" ? found : QueueRoute::kMethodNotAllowed;
}

std::string json_error_body(int status, std::string_view message) {
    boost::json::object body;
    body["error"] = message;
    body["status"] = status;
    return boost::json::serialize(body);
}

}  // namespace orch::host
