#include "metrics/http_request_counters.hpp"

namespace orch::host::metrics {
namespace {

std::size_t code_slot(int code) {
    for (std::size_t i = 0; i < kCountedCodes.size(); ++i) {
        if (kCountedCodes[i] == code)
            return i;
    }
    return kCountedCodes.size();
}

}  // namespace

Route route_of(std::string_view path) {
    // The query string does not change the route.
    path = path.substr(0, path.find('?'));
    if (path == "/queue")
        return Route::kQueue;
    if (path == "/metrics")
        return Route::kMetrics;
    return Route::kOther;
}

void HttpRequestCounters::count(Route route, int code) noexcept {
    // Relaxed: each counter is independent and only ever read as a whole-number snapshot.
    table_[static_cast<std::size_t>(route)][code_slot(code)].fetch_add(1,
                                                                       std::memory_order_relaxed);
}

HttpRequestCounts HttpRequestCounters::snapshot() const noexcept {
    HttpRequestCounts counts;
    for (std::size_t r = 0; r < table_.size(); ++r) {
        for (std::size_t c = 0; c < kCodeSlots; ++c) {
            counts.by_route_code[r][c] = table_[r][c].load(std::memory_order_relaxed);
        }
    }
    return counts;
}

}  // namespace orch::host::metrics
