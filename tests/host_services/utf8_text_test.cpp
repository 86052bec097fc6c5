// The host's UTF-8 helper, as tables: what is valid, what becomes U+FFFD, where a cut may fall.
#include "text/utf8_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace orch::host {
namespace {

const std::string kFffd(kReplacementCharacter);

struct SanitizeCase {
    const char* name;
    std::string input;
    std::string expected;
};

TEST(Utf8Text, SanitizeReplacesEveryInvalidByteAndKeepsValidText) {
    const SanitizeCase cases[] = {
        {"empty", "", ""},
        {"ascii", "plain text", "plain text"},
        {"two, three and four bytes", "Ger\xC3\xA4t \xE2\x82\xAC \xF0\x9F\x90\xB3",
         "Ger\xC3\xA4t \xE2\x82\xAC \xF0\x9F\x90\xB3"},
        {"latin-1 byte", "Ger\xE4t", "Ger" + kFffd + "t"},
        {"latin-1 at the end", "caf\xE9", "caf" + kFffd},
        {"stray continuation", "a\x80z", "a" + kFffd + "z"},
        {"truncated two-byte at the end", "ab\xC3", "ab" + kFffd},
        {"truncated three-byte", "\xE2\x82z", kFffd + kFffd + "z"},
        {"truncated four-byte at the end", "\xF0\x9F\x90", kFffd + kFffd + kFffd},
        {"overlong slash (C0 AF)", "\xC0\xAF", kFffd + kFffd},
        {"overlong three-byte (E0 80 AF)", "\xE0\x80\xAF", kFffd + kFffd + kFffd},
        {"overlong four-byte (F0 80 80 AF)", "\xF0\x80\x80\xAF", kFffd + kFffd + kFffd + kFffd},
        {"surrogate U+D800", "\xED\xA0\x80", kFffd + kFffd + kFffd},
        {"beyond U+10FFFF", "\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},
        {"F5..FF never occur", "\xF5\xFF", kFffd + kFffd},
        {"NUL and controls are valid UTF-8", std::string("a\0b\x01", 4),
         std::string("a\0b\x01", 4)},
    };
    for (const auto& c : cases) {
        const std::string out = sanitize_utf8(c.input);
        EXPECT_EQ(out, c.expected) << c.name;
        EXPECT_TRUE(is_valid_utf8(out)) << c.name;
        EXPECT_EQ(is_valid_utf8(c.input), c.input == c.expected) << c.name;
    }
}

struct PrefixCase {
    const char* name;
    std::string input;
    std::size_t max_bytes;
    std::string expected;
};

TEST(Utf8Text, PrefixNeverCutsACharacterInTwo) {
    const std::string euro = "\xE2\x82\xAC";  // 3 bytes
    const PrefixCase cases[] = {
        {"shorter than the limit", "abc", 10, "abc"},
        {"exactly the limit", "abc", 3, "abc"},
        {"ascii cut", "abcdef", 4, "abcd"},
        {"cut lands inside a 3-byte character", "ab" + euro + "z", 3, "ab"},
        {"cut lands inside, one byte further", "ab" + euro + "z", 4, "ab"},
        {"cut right after the character", "ab" + euro + "z", 5, "ab" + euro},
        {"four-byte character", "\xF0\x9F\x90\xB3!", 3, ""},
        {"zero", "abc", 0, ""},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(std::string(utf8_prefix(c.input, c.max_bytes)), c.expected) << c.name;
    }
}

TEST(Utf8Text, SequenceLengthOfEachLeadByte) {
    EXPECT_EQ(utf8_sequence_length(""), 0U);
    EXPECT_EQ(utf8_sequence_length("a"), 1U);
    EXPECT_EQ(utf8_sequence_length("\xC3\xA4"), 2U);
    EXPECT_EQ(utf8_sequence_length("\xE2\x82\xAC"), 3U);
    EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x90\xB3"), 4U);
    EXPECT_EQ(utf8_sequence_length("\xC3"), 0U);
    EXPECT_EQ(utf8_sequence_length("\xE4t"), 0U);
}

}  // namespace
}  // namespace orch::host
