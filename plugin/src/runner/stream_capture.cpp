#include "runner/stream_capture.hpp"

#include <algorithm>
#include <cstring>

namespace orch::pruner {

std::string CapturedStream::text() const {
    if (!truncated()) {
        return head + tail;
    }
    const std::uint64_t omitted = total_bytes - head.size() - tail.size();
    return head + "\n[... " + std::to_string(omitted) + " bytes omitted ...]\n" + tail;
}

void StreamCapture::append(std::string_view bytes) {
    total_ += bytes.size();
    const std::size_t to_head = std::min(cap_ - head_.size(), bytes.size());
    head_.append(bytes.substr(0, to_head));
    bytes.remove_prefix(to_head);
    past_head_ += bytes.size();
    if (bytes.empty() || cap_ == 0) {
        return;
    }
    if (ring_.empty()) {
        ring_.resize(cap_);
    }
    if (bytes.size() >= cap_) {
        std::memcpy(ring_.data(), bytes.data() + (bytes.size() - cap_), cap_);
        ring_next_ = 0;
        return;
    }
    const std::size_t first = std::min(bytes.size(), cap_ - ring_next_);
    std::memcpy(ring_.data() + ring_next_, bytes.data(), first);
    std::memcpy(ring_.data(), bytes.data() + first, bytes.size() - first);
    ring_next_ = (ring_next_ + bytes.size()) % cap_;
}

CapturedStream StreamCapture::result() const {
    CapturedStream out;
    out.head = head_;
    out.total_bytes = total_;
    if (past_head_ < cap_) {
        // The ring has not wrapped: its first past_head_ bytes are the tail, in order.
        out.tail = ring_.substr(0, static_cast<std::size_t>(past_head_));
    } else {
        out.tail.reserve(cap_);
        out.tail.append(ring_, ring_next_, std::string::npos);
        out.tail.append(ring_, 0, ring_next_);
    }
    return out;
}

}  // namespace orch::pruner
