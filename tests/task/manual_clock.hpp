#pragma once
// A clock the test moves by hand, so the schedule is exact.
#include <atomic>

#include "task/clock.hpp"

namespace orch::test {

class ManualClock final : public pruner::Clock {
  public:
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::time_point(std::chrono::seconds(offset_s_.load()));
    }
    std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::time_point(
            std::chrono::seconds(1'800'000'000 + offset_s_.load()));
    }
    void advance(std::chrono::seconds by) { offset_s_ += by.count(); }

  private:
    std::atomic<long long> offset_s_{1000};
};

}  // namespace orch::test
