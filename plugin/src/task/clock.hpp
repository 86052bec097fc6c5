#pragma once
// The task's two clocks behind one seam: the steady clock drives the schedule, the wall clock only
// labels status timestamps. Tests substitute a manual clock to make scheduling exact.
#include <chrono>

namespace orch::pruner {

class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point steady_now() const = 0;
    virtual std::chrono::system_clock::time_point wall_now() const = 0;
};

class SystemClock final : public Clock {
  public:
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::now();
    }
    std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::now();
    }
};

// Seconds since the Unix epoch, as the reference's time.time() reported them.
inline double to_unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// Unix seconds of steady time `t`, read against the clock's current pair.
inline double wall_time_of(const Clock& clock, std::chrono::steady_clock::time_point t) {
    const auto offset = t - clock.steady_now();
    return to_unix_seconds(clock.wall_now() +
                           std::chrono::duration_cast<std::chrono::system_clock::duration>(offset));
}

}  // namespace orch::pruner
