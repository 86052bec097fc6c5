#pragma once
// API 1.1: a task's metrics for the host's GET /metrics (the first capability; rule in
// version.hpp).
//
// Why text in the Prometheus exposition format 0.0.4 rather than a structured sample list:
// - std::string already crosses the boundary (status()); a struct of samples, labels and
//   histogram buckets would be one more layout frozen for the whole major, and every future need
//   (a summary, an info metric, exemplars) would be a new major or a new capability.
// - The host has to validate whatever a plugin sends anyway (label values come from outside, e.g.
//   the ssh target), and a text line is the unit it can check, drop and count on its own: a bad
//   line costs that line, never the page. A struct would still need every string in it checked.
// - The format has a reference checker (`promtool check metrics`), so plugin and host both test
//   their output against the real consumer, not against our reading of it.
#include <string>
#include <string_view>

#include <boost/config.hpp>

#include "orch/plugin_api/background_task.hpp"
#include "orch/plugin_api/capability.hpp"

namespace orch::plugin_api {

class BOOST_SYMBOL_VISIBLE IMetricsSource {
  public:
    virtual ~IMetricsSource() = default;

    // The task's metrics as exposition text 0.0.4: `# HELP` / `# TYPE` lines and samples, one per
    // line, '\n'-terminated, no timestamps. Names should carry the plugin's own prefix; the host
    // drops (and counts) any line that is malformed, not valid UTF-8, under the host's prefix
    // `orch_host_`, or of a family another plugin already exposes, and bounds the size.
    // Called from the host's HTTP threads, possibly concurrently: must be thread-safe, must not
    // wait for in-flight work (like status()). May throw; the host then exposes no samples of this
    // plugin for that scrape and counts the failure.
    virtual std::string metrics_text() const = 0;
};

// The task's metrics source (owned by the task, valid as long as the task), or null when this
// task has none.
using MetricsAccessorFn = IMetricsSource*(IBackgroundTask& task);

inline constexpr Capability kMetrics{"orch_metrics", 1};

// A label value escaped as exposition format 0.0.4 requires: backslash, double quote and line
// feed. Header-only, so a plugin and the host escape by the same rule. `value` must already be
// valid UTF-8 (each side sanitises with its own helper first; the host drops lines that are not).
inline std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace orch::plugin_api
