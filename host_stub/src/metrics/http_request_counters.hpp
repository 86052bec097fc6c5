#pragma once
// GET counts by route and status code for orch_host_http_requests_total: a fixed table of
// atomics, so counting a request is one relaxed fetch_add with no lock and no allocation, from
// any number of server threads.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace orch::host::metrics {

// The routes the host serves; anything else is kOther (never the raw path: it comes from
// outside and would make the label unbounded).
enum class Route : std::size_t { kQueue, kMetrics, kOther };
inline constexpr std::array<std::string_view, 3> kRouteLabels{"/queue", "/metrics", "other"};

// The codes the host sends; any other code is counted under "other".
inline constexpr std::array<int, 8> kCountedCodes{200, 400, 404, 405, 408, 413, 500, 503};
inline constexpr std::size_t kCodeSlots = kCountedCodes.size() + 1;  // + "other"

Route route_of(std::string_view path);

struct HttpRequestCounts {
    std::array<std::array<std::uint64_t, kCodeSlots>, kRouteLabels.size()> by_route_code{};
};

class HttpRequestCounters {
  public:
    void count(Route route, int code) noexcept;
    HttpRequestCounts snapshot() const noexcept;

  private:
    std::array<std::array<std::atomic<std::uint64_t>, kCodeSlots>, kRouteLabels.size()> table_{};
};

}  // namespace orch::host::metrics
