#include "runner/stream_capture.hpp"

#include <string>

#include <gtest/gtest.h>

namespace orch::pruner {
namespace {

std::string pattern(std::size_t size) {
    std::string text(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        text[i] = static_cast<char>('a' + i % 26);
    }
    return text;
}

// Appends `text` in chunks of varying sizes (a fixed cycle), as reads from a pipe arrive.
CapturedStream capture_in_chunks(const std::string& text, std::size_t cap) {
    static constexpr std::size_t kChunkSizes[] = {1, 7, 3, 64, 2, 129, 5, 1000};
    StreamCapture capture(cap);
    std::size_t offset = 0;
    for (std::size_t i = 0; offset < text.size(); ++i) {
        const std::size_t size = kChunkSizes[i % std::size(kChunkSizes)];
        capture.append(std::string_view(text).substr(offset, size));
        offset += size;
    }
    return capture.result();
}

TEST(StreamCaptureTest, EmptyStream) {
    const CapturedStream result = StreamCapture(16).result();
    EXPECT_EQ(result.total_bytes, 0u);
    EXPECT_EQ(result.text(), "");
    EXPECT_FALSE(result.truncated());
}

TEST(StreamCaptureTest, ShortStreamIsKeptWholeInHead) {
    StreamCapture capture(16);
    capture.append("hello ");
    capture.append("world");
    const CapturedStream result = capture.result();
    EXPECT_EQ(result.head, "hello world");
    EXPECT_EQ(result.tail, "");
    EXPECT_EQ(result.total_bytes, 11u);
    EXPECT_EQ(result.text(), "hello world");
}

TEST(StreamCaptureTest, UpToTwiceTheCapNothingIsLost) {
    const std::string text = pattern(30);
    const CapturedStream result = capture_in_chunks(text, 16);
    EXPECT_EQ(result.head, text.substr(0, 16));
    EXPECT_EQ(result.tail, text.substr(16));
    EXPECT_FALSE(result.truncated());
    EXPECT_EQ(result.text(), text);
}

TEST(StreamCaptureTest, LongStreamKeepsHeadTailAndCount) {
    const std::string text = pattern(10'000);
    const CapturedStream result = capture_in_chunks(text, 100);
    EXPECT_EQ(result.head, text.substr(0, 100));
    EXPECT_EQ(result.tail, text.substr(text.size() - 100));
    EXPECT_EQ(result.total_bytes, 10'000u);
    EXPECT_TRUE(result.truncated());
    EXPECT_EQ(result.text(), text.substr(0, 100) + "\n[... 9800 bytes omitted ...]\n" +
                                 text.substr(text.size() - 100));
}

TEST(StreamCaptureTest, EveryLengthAroundTheCapMatchesTheWholeText) {
    constexpr std::size_t kCap = 13;
    for (std::size_t size = 0; size <= 5 * kCap; ++size) {
        const std::string text = pattern(size);
        const CapturedStream result = capture_in_chunks(text, kCap);
        const std::size_t head = std::min(size, kCap);
        const std::size_t tail = std::min(size - head, kCap);
        EXPECT_EQ(result.head, text.substr(0, head)) << "size " << size;
        EXPECT_EQ(result.tail, text.substr(size - tail)) << "size " << size;
        EXPECT_EQ(result.total_bytes, size);
    }
}

TEST(StreamCaptureTest, OneAppendLargerThanTheRing) {
    const std::string text = pattern(1000);
    StreamCapture capture(10);
    capture.append("x");
    capture.append(text);
    capture.append("yz");
    const CapturedStream result = capture.result();
    EXPECT_EQ(result.head, "x" + text.substr(0, 9));
    EXPECT_EQ(result.tail, text.substr(text.size() - 8) + "yz");
    EXPECT_EQ(result.total_bytes, 1003u);
}

TEST(StreamCaptureTest, ZeroCapOnlyCounts) {
    StreamCapture capture(0);
    capture.append(pattern(500));
    const CapturedStream result = capture.result();
    EXPECT_EQ(result.head, "");
    EXPECT_EQ(result.tail, "");
    EXPECT_EQ(result.total_bytes, 500u);
    EXPECT_EQ(result.text(), "\n[... 500 bytes omitted ...]\n");
}

}  // namespace
}  // namespace orch::pruner
