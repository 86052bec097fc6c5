#include "core/schedule.hpp"

namespace orch::pruner {

SteadyTime next_prune_due(std::optional<SteadyTime> last_run_end, SteadyTime now,
                          std::chrono::seconds interval) {
    if (!last_run_end) {
        return now;
    }
    if (interval <= std::chrono::seconds::zero()) {
        return *last_run_end;
    }
    using Tick = SteadyTime::duration;
    // Largest whole number of seconds that still converts to a clock duration without overflow.
    const auto max_seconds = std::chrono::duration_cast<std::chrono::seconds>(Tick::max());
    if (interval > max_seconds) {
        return SteadyTime::max();
    }
    const Tick step = std::chrono::duration_cast<Tick>(interval);
    // Before the epoch, max() - last would itself overflow, but then last + step cannot.
    if (last_run_end->time_since_epoch() >= Tick::zero() &&
        step > SteadyTime::max() - *last_run_end) {
        return SteadyTime::max();
    }
    return *last_run_end + step;
}

bool is_prune_due(std::optional<SteadyTime> last_run_end, SteadyTime now,
                  std::chrono::seconds interval) {
    return now >= next_prune_due(last_run_end, now, interval);
}

}  // namespace orch::pruner
