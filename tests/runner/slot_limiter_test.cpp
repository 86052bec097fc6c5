#include "runner/slot_limiter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <latch>
#include <thread>
#include <vector>

namespace orch::pruner {
namespace {

// Real threads, no sleeps: N workers each take a slot, and while holding it meet at a barrier
// of `capacity` participants, so the slots are held by exactly `capacity` workers at once, in
// N / capacity groups. A limiter that let one more in would show it in the peak count; one that
// let fewer in would never fill the barrier (the test's timeout fails it).
TEST(SlotLimiter, AtMostCapacityHoldersAndTheCapacityIsReached) {
    for (const std::size_t capacity : {1U, 3U, 8U}) {
        const std::size_t workers = capacity * 4;
        SlotLimiter limiter(capacity);
        std::barrier holders(static_cast<std::ptrdiff_t>(capacity));
        std::atomic<std::size_t> live{0};
        std::atomic<std::size_t> peak{0};
        std::atomic<std::size_t> served{0};
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < workers; ++i) {
            threads.emplace_back([&] {
                std::optional<SlotLimiter::Slot> slot = limiter.acquire();
                if (!slot) {
                    ADD_FAILURE() << "acquire() refused a slot before stop()";
                    holders.arrive_and_drop();
                    return;
                }
                const std::size_t now = live.fetch_add(1) + 1;
                std::size_t seen = peak.load();
                while (now > seen && !peak.compare_exchange_weak(seen, now)) {
                }
                holders.arrive_and_wait();  // every slot is held right now
                live.fetch_sub(1);
                served.fetch_add(1);
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        EXPECT_EQ(peak.load(), capacity);
        EXPECT_EQ(served.load(), workers);
        EXPECT_EQ(limiter.in_use(), 0U);
    }
}

TEST(SlotLimiter, TryAcquireRespectsTheCapacity) {
    SlotLimiter limiter(2);
    auto a = limiter.try_acquire();
    auto b = limiter.try_acquire();
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_FALSE(limiter.try_acquire());
    EXPECT_EQ(limiter.in_use(), 2U);
    a->release();
    a->release();  // idempotent
    EXPECT_EQ(limiter.in_use(), 1U);
    EXPECT_TRUE(limiter.try_acquire());  // a temporary: released at once
    EXPECT_EQ(limiter.in_use(), 1U);
}

TEST(SlotLimiter, MovingASlotReleasesItOnce) {
    SlotLimiter limiter(1);
    std::optional<SlotLimiter::Slot> first = limiter.try_acquire();
    ASSERT_TRUE(first);
    {
        SlotLimiter::Slot moved = std::move(*first);
        first.reset();  // the moved-from slot releases nothing
        EXPECT_EQ(limiter.in_use(), 1U);
    }
    EXPECT_EQ(limiter.in_use(), 0U);
    auto again = limiter.try_acquire();
    ASSERT_TRUE(again);
    EXPECT_EQ(limiter.in_use(), 1U);
}

TEST(SlotLimiter, AReleasedSlotWakesAWaiter) {
    SlotLimiter limiter(1);
    std::optional<SlotLimiter::Slot> held = limiter.acquire();
    ASSERT_TRUE(held);
    std::latch waiting(1);
    std::atomic<bool> got{false};
    std::thread waiter([&] {
        waiting.count_down();
        std::optional<SlotLimiter::Slot> slot = limiter.acquire();
        got = slot.has_value();
    });
    waiting.wait();
    held.reset();  // frees the only slot: the waiter must get it
    waiter.join();
    EXPECT_TRUE(got.load());
    EXPECT_EQ(limiter.in_use(), 0U);
}

// stop() wakes every waiter at once (they get no slot) while a slot is still held: a worker
// waiting for a slot never delays a stop.
TEST(SlotLimiter, StopWakesEveryWaiterWhileSlotsAreHeld) {
    SlotLimiter limiter(1);
    std::optional<SlotLimiter::Slot> held = limiter.acquire();
    ASSERT_TRUE(held);
    const std::size_t waiters = 6;
    std::latch started(static_cast<std::ptrdiff_t>(waiters));
    std::atomic<std::size_t> refused{0};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < waiters; ++i) {
        threads.emplace_back([&] {
            started.count_down();
            if (!limiter.acquire()) {
                refused.fetch_add(1);
            }
        });
    }
    started.wait();
    limiter.stop();
    for (auto& t : threads) {
        t.join();  // returns only because stop() woke them: the slot is still held
    }
    EXPECT_EQ(refused.load(), waiters);
    EXPECT_EQ(limiter.in_use(), 1U);
    EXPECT_FALSE(limiter.acquire());
    EXPECT_FALSE(limiter.try_acquire());
    held.reset();
    EXPECT_EQ(limiter.in_use(), 0U);
    limiter.stop();  // idempotent
}

TEST(SlotLimiter, ZeroCapacityWaitsUntilStop) {
    SlotLimiter limiter(0);
    EXPECT_FALSE(limiter.try_acquire());
    std::latch started(1);
    std::atomic<bool> got{true};
    std::thread waiter([&] {
        started.count_down();
        got = limiter.acquire().has_value();
    });
    started.wait();
    limiter.stop();
    waiter.join();
    EXPECT_FALSE(got.load());
}

}  // namespace
}  // namespace orch::pruner
