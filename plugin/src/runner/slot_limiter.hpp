#pragma once
// At most N ssh processes at once across a fleet, probes and prunes together (issue 11).
//
// Design: a counting semaphore made of a mutex and a condition variable, because
// std::counting_semaphore cannot be woken by stop(): stop() must return promptly while workers
// wait for a slot. A worker holds one Slot (RAII) for as long as it runs ssh for one host, its
// probe and its prune in turn, so a host that hangs holds exactly one slot until its timeout.
// Thread-safe; the limiter must outlive its slots.
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

namespace orch::pruner {

class SlotLimiter {
  public:
    // A held slot; released when destroyed (or moved from and then destroyed, once).
    class Slot {
      public:
        Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
        Slot& operator=(Slot&& other) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() { release(); }
        void release() noexcept;  // gives the slot back early; idempotent

      private:
        friend class SlotLimiter;
        explicit Slot(SlotLimiter* owner) : owner_(owner) {}
        SlotLimiter* owner_;
    };

    explicit SlotLimiter(std::size_t slots);  // 0 slots: acquire() waits until stop()
    SlotLimiter(const SlotLimiter&) = delete;
    SlotLimiter& operator=(const SlotLimiter&) = delete;

    // Waits for a free slot; nullopt once stop() was called (before or during the wait).
    std::optional<Slot> acquire();
    // A free slot now, or nullopt (none free, or stopped).
    std::optional<Slot> try_acquire();
    // Wakes every waiter (they get nullopt) and refuses later acquires; held slots stay valid
    // and are released as usual. Idempotent.
    void stop();

    std::size_t in_use() const;
    std::size_t capacity() const noexcept { return capacity_; }

  private:
    void give_back() noexcept;

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::size_t in_use_ = 0;
    bool stopped_ = false;
};

}  // namespace orch::pruner
