#include "runner/slot_limiter.hpp"

namespace orch::pruner {

SlotLimiter::Slot& SlotLimiter::Slot::operator=(Slot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = other.owner_;
        other.owner_ = nullptr;
    }
    return *this;
}

void SlotLimiter::Slot::release() noexcept {
    if (owner_ != nullptr) {
        owner_->give_back();
        owner_ = nullptr;
    }
}

SlotLimiter::SlotLimiter(std::size_t slots) : capacity_(slots) {}

std::optional<SlotLimiter::Slot> SlotLimiter::acquire() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [this] { return stopped_ || in_use_ < capacity_; });
    if (stopped_) {
        return std::nullopt;
    }
    ++in_use_;
    return Slot(this);
}

std::optional<SlotLimiter::Slot> SlotLimiter::try_acquire() {
    std::lock_guard lock(mutex_);
    if (stopped_ || in_use_ >= capacity_) {
        return std::nullopt;
    }
    ++in_use_;
    return Slot(this);
}

void SlotLimiter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
    }
    freed_.notify_all();
}

std::size_t SlotLimiter::in_use() const {
    std::lock_guard lock(mutex_);
    return in_use_;
}

void SlotLimiter::give_back() noexcept {
    {
        std::lock_guard lock(mutex_);
        --in_use_;
    }
    freed_.notify_one();
}

}  // namespace orch::pruner
