// The host's limits against the pruner's real page for its largest fleet (issue 11: one series
// per host): 4096 hosts with 128-character labels pass the validator whole. Both sides' real
// code: the pruner's renderer, the host's validator.
#include <gtest/gtest.h>

#include <string>

#include "metrics/exposition_validator.hpp"
#include "task/metrics_text.hpp"

namespace orch::host::metrics {
namespace {

TEST(FleetPage, TheLargestFleetsPagePassesTheHostsLimitsWhole) {
    pruner::PruneMetrics m;
    m.until = "24h";
    for (int i = 0; i < 4096; ++i) {
        pruner::HostMetrics& h = m.hosts.emplace_back();
        const std::string n = std::to_string(i);
        h.host = "deploy@" + std::string(128 - 7 - n.size(), 'b') + n;  // 128 characters
        h.runs_success = 12345;
        h.duration.observe(3.5);
        h.last_run_ts = 1'800'000'000.25;
        h.last_success_ts = 1'800'000'000.25;
        h.filesystem_avail_bytes = 123'456'789'012;
        h.filesystem_size_bytes = 999'999'999'999;
        h.build_cache_bytes = 11'000'000'000;
    }
    const std::string page = pruner::render_metrics_text(m);
    TakenNames taken;
    const ValidatedExposition v = validate_exposition(page, taken);
    EXPECT_EQ(v.lines_dropped, 0U) << page.size() << " bytes";
    EXPECT_GE(v.lines_kept, 4096U * 25U);
    EXPECT_EQ(v.text.size(), page.size());
}

}  // namespace
}  // namespace orch::host::metrics
