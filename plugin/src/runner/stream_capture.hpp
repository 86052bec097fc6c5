#pragma once
// Bounded capture of one output stream: the first bytes, the last bytes and a count, so a child
// that prints gigabytes costs a fixed amount of memory.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace orch::pruner {

struct CapturedStream {
    std::string head;  // the first bytes, up to the cap
    std::string tail;  // the last bytes after the head, up to the cap (empty unless > cap bytes)
    std::uint64_t total_bytes = 0;
    bool truncated() const noexcept { return head.size() + tail.size() < total_bytes; }
    // head, then (only when truncated) "\n[... N bytes omitted ...]\n", then tail.
    std::string text() const;
};

// Collects a stream as it is read. Keeps head and tail each within `cap` bytes.
class StreamCapture {
  public:
    explicit StreamCapture(std::size_t cap) : cap_(cap) {}

    void append(std::string_view bytes);
    CapturedStream result() const;

  private:
    std::size_t cap_;
    std::string head_;
    std::string ring_;             // the tail, wrapped; allocated once the head is full
    std::size_t ring_next_ = 0;    // where the next tail byte goes (= the oldest once full)
    std::uint64_t past_head_ = 0;  // bytes that did not fit in the head
    std::uint64_t total_ = 0;
};

}  // namespace orch::pruner
