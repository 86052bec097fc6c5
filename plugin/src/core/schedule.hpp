#pragma once
// When to prune. Pure: callers pass the clock readings in.
#include <chrono>
#include <optional>

namespace orch::pruner {

using SteadyTime = std::chrono::steady_clock::time_point;

// True when nothing has run yet or at least `interval` has passed since the last attempt
// (attempts count whether they succeeded or not, so a failing host is not hammered).
bool is_prune_due(std::optional<SteadyTime> last_attempt, SteadyTime now,
                  std::chrono::seconds interval);

// When the next attempt is due: `now` if nothing has run, else last_attempt + interval.
SteadyTime next_prune_due(std::optional<SteadyTime> last_attempt, SteadyTime now,
                          std::chrono::seconds interval);

}  // namespace orch::pruner
