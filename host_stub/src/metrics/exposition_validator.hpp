#pragma once
// The host's gate for a plugin's exposition text (orch/plugin_api/metrics.hpp): every line is
// checked on its own, a bad one is dropped and counted, and what is kept is re-rendered in one
// canonical form, so a plugin can never break the page the host serves or another plugin's
// series. Pure: text in, text and counts out.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace orch::host::metrics {

// The prefix of the host's own families: no plugin may expose a name under it.
inline constexpr std::string_view kHostPrefix = "orch_host_";

// Sized so that the pruner's largest fleet (4096 hosts, about 25 series each, 128-character
// host labels) passes whole (tests/host/metrics/fleet_page_test.cpp), while a runaway plugin is
// still cut off: 32 MiB is read at the most per plugin and scrape.
struct ExpositionLimits {
    std::size_t max_bytes = 32 * 1024 * 1024;  // input past this is not read; its lines: dropped
    std::size_t max_lines = 1 << 17;           // lines past this are dropped and counted
    std::size_t max_line_bytes = 4096;         // a longer line is dropped
};

// The sample names already on the page (the families of plugins merged before, with a
// histogram's or summary's _bucket/_sum/_count), shared across the plugins of one page so no
// plugin can add to, or clash with, another's family.
using TakenNames = std::set<std::string, std::less<>>;

struct ValidatedExposition {
    std::string text;  // kept lines, canonical, each '\n'-terminated
    std::uint64_t lines_kept = 0;
    std::uint64_t lines_dropped = 0;  // malformed, over a limit, or a name not this plugin's to use
};

// Validates `text` of one plugin. Kept: `# HELP`, `# TYPE` (counter, gauge, histogram, summary,
// untyped) and samples `name{label="value",...} value` (no timestamp), each family in one
// contiguous group with at most one HELP and one TYPE before its samples, a histogram's _bucket
// with an `le`, a summary's quantile sample with a `quantile`. Other comments and blank lines are
// skipped without counting. Names of the families kept are added to `taken`.
ValidatedExposition validate_exposition(std::string_view text, TakenNames& taken,
                                        const ExpositionLimits& limits = {});

}  // namespace orch::host::metrics
