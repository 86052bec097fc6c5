#include "core/one_line_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace orch::pruner {
namespace {

TEST(SanitizeOneLine, PrintableAndValidUtf8Unchanged) {
    EXPECT_EQ(sanitize_one_line("rc=255: Connection refused"), "rc=255: Connection refused");
    EXPECT_EQ(sanitize_one_line("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\xA7\xB9"),
              "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\xA7\xB9");
    EXPECT_EQ(sanitize_one_line(""), "");
}

TEST(SanitizeOneLine, ControlCharactersBecomeSpaces) {
    EXPECT_EQ(sanitize_one_line("a\nb\rc\td\x7f"
                                "e"),
              "a b c d e");
    EXPECT_EQ(sanitize_one_line(std::string("a\0b", 3)), "a b");
    EXPECT_EQ(sanitize_one_line("a\xC2\x85"
                                "b"),
              "a b");                                      // U+0085 NEXT LINE (C1)
    EXPECT_EQ(sanitize_one_line("\xC2\xA0"), "\xC2\xA0");  // U+00A0 is printable
}

TEST(SanitizeOneLine, InvalidBytesBecomeReplacementCharacters) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(sanitize_one_line("a\xFF"
                                "b"),
              "a" + fffd + "b");
    EXPECT_EQ(sanitize_one_line("\xC3"), fffd);                        // truncated sequence
    EXPECT_EQ(sanitize_one_line("\xC0\xAF"), fffd + fffd);             // overlong '/'
    EXPECT_EQ(sanitize_one_line("\xED\xA0\x80"), fffd + fffd + fffd);  // surrogate
    EXPECT_EQ(sanitize_one_line("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // > U+10FFFF
    EXPECT_EQ(sanitize_one_line("\x80"
                                "x"),
              fffd + "x");  // lone continuation
}

TEST(CutToBytes, CutsOnCharacterBoundaries) {
    const std::string text =
        "ab\xE2\x82\xAC"
        "cdefg";  // a b EURO c d e f g: 10 bytes
    EXPECT_EQ(cut_to_bytes(text, 10), text);
    EXPECT_EQ(cut_to_bytes(text, 9),
              "ab\xE2\x82\xAC"
              "c...");
    EXPECT_EQ(cut_to_bytes(text, 8), "ab\xE2\x82\xAC...");
    EXPECT_EQ(cut_to_bytes(text, 7), "ab...");  // the euro would end at byte 5 + 3 > 7
    EXPECT_EQ(cut_to_bytes(text, 6), "ab...");
    EXPECT_EQ(cut_to_bytes(text, 5), "ab...");
    EXPECT_EQ(cut_to_bytes(text, 4), "a...");
    EXPECT_EQ(cut_to_bytes(text, 3), "...");
    EXPECT_EQ(cut_to_bytes(text, 2), "ab");
    EXPECT_EQ(cut_to_bytes("\xF0\x9F\xA7\xB9\xF0\x9F\xA7\xB9", 6), "...");
}

TEST(CutToBytes, InvalidInputStaysInBounds) {
    const std::string continuation(8, '\x80');
    EXPECT_EQ(cut_to_bytes(continuation, 5).size(), 5U);
}

TEST(CutToBytes, MarksTheCutAndStaysWithinTheBudget) {
    EXPECT_EQ(cut_to_bytes("short", 10), "short");
    EXPECT_EQ(cut_to_bytes("exactly10!", 10), "exactly10!");
    EXPECT_EQ(cut_to_bytes("0123456789ab", 10), "0123456...");
    EXPECT_EQ(cut_to_bytes("aaaaa\xE2\x82\xAC\xE2\x82\xAC", 10), "aaaaa...");
    EXPECT_EQ(cut_to_bytes("abcdef", 2), "ab");
}

}  // namespace
}  // namespace orch::pruner
