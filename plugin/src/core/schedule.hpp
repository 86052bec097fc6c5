#pragma once
// When to prune. Pure: callers pass the clock readings in.
#include <chrono>
#include <optional>

namespace orch::pruner {

using SteadyTime = std::chrono::steady_clock::time_point;

// The caller passes when the previous run ENDED (as the original: tick, then wait interval_s),
// so a run that lasts as long as the interval still leaves a full interval of rest.
//
// When the next attempt is due: `now` if nothing has run, else last_run_end + interval. A
// non-positive interval counts as zero (due at once: the reference "falls open" to pruning);
// an interval too large for the clock saturates at SteadyTime::max() instead of overflowing.
SteadyTime next_prune_due(std::optional<SteadyTime> last_run_end, SteadyTime now,
                          std::chrono::seconds interval);

// True when nothing has run yet or at least `interval` has passed since the last run ended
// (runs count whether they succeeded or not, so a failing host is not hammered).
// Same rule as next_prune_due: due exactly when now >= next_prune_due(...).
bool is_prune_due(std::optional<SteadyTime> last_run_end, SteadyTime now,
                  std::chrono::seconds interval);

}  // namespace orch::pruner
