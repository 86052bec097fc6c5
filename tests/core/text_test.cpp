// The shared text rules: UTF-8 sanitising, character-boundary prefixes, boolean words.
#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orch::pruner {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

// True when `text` is well-formed UTF-8, checked independently of to_valid_utf8 (by the
// standard's UTF-8 -> UTF-32 conversion being lossless is not available portably, so the
// property is: sanitising again changes nothing).
bool is_fixed_point(const std::string& text) {
    return to_valid_utf8(text) == text;
}

TEST(Utf8, ValidTextIsUnchanged) {
    for (const std::string& text :
         {std::string(), std::string("plain ascii"), std::string("Ger\xC3\xA4t"),
          std::string("\xE2\x82\xAC 3 bytes"), std::string("\xF0\x9F\xA7\xB9 4 bytes"),
          std::string("\xF4\x8F\xBF\xBF"), std::string("\xED\x9F\xBF"),
          std::string("nul\0inside", 10)}) {
        EXPECT_EQ(to_valid_utf8(text), text);
    }
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters) {
    const std::vector<std::pair<std::string, std::string>> table = {
        {"Ger\xE4t", "Ger" + kFffd + "t"},                    // Latin-1
        {"\x80", kFffd},                                      // stray continuation
        {"\xC3", kFffd},                                      // truncated at the end
        {"\xE2\x82", kFffd + kFffd},                          // truncated 3-byte
        {"\xE2\x82x", kFffd + kFffd + "x"},                   // truncated before ASCII
        {"\xC0\xAF", kFffd + kFffd},                          // overlong '/'
        {"\xE0\x80\xAF", kFffd + kFffd + kFffd},              // overlong 3-byte
        {"\xF0\x80\x80\xAF", kFffd + kFffd + kFffd + kFffd},  // overlong 4-byte
        {"\xED\xA0\x80", kFffd + kFffd + kFffd},              // UTF-16 surrogate
        {"\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},  // above U+10FFFF
        {"\xF5\xFF\xFE", kFffd + kFffd + kFffd},
        {"a\xC3\xA4\xE4"
         "b",
         "a\xC3\xA4" + kFffd + "b"},
    };
    for (const auto& [input, expected] : table) {
        EXPECT_EQ(to_valid_utf8(input), expected) << input;
        EXPECT_TRUE(is_fixed_point(to_valid_utf8(input)));
    }
}

TEST(Utf8, PrefixCountsCharactersAndNeverSplitsOne) {
    const std::string euro = "\xE2\x82\xAC";
    EXPECT_EQ(utf8_prefix("abc", 0), "");
    EXPECT_EQ(utf8_prefix("abc", 2), "ab");
    EXPECT_EQ(utf8_prefix("abc", 10), "abc");
    EXPECT_EQ(utf8_prefix(euro + euro + euro, 2), euro + euro);
    EXPECT_EQ(utf8_prefix("a" + euro + "b", 2), "a" + euro);
    EXPECT_EQ(utf8_prefix("\xF0\x9F\xA7\xB9x", 1), "\xF0\x9F\xA7\xB9");
    // 199 ASCII then a 3-byte character that straddles byte 200: kept whole, as the 200th char.
    const std::string long_text = std::string(199, 'x') + euro + "tail";
    EXPECT_EQ(utf8_prefix(long_text, 200), std::string(199, 'x') + euro);
    EXPECT_TRUE(is_fixed_point(std::string(utf8_prefix(long_text, 200))));
}

TEST(BoolWord, EverySpellingAnyCase) {
    for (const char* word : {"1", "true", "TRUE", "True", "tRuE", "t", "T", "yes", "YES", "Yes",
                             "y", "Y", "on", "ON", "On", " on ", "\ttrue\n"}) {
        EXPECT_EQ(parse_bool_word(word), std::optional<bool>(true)) << word;
    }
    for (const char* word : {"0", "false", "FALSE", "False", "f", "F", "no", "NO", "No", "n", "N",
                             "off", "OFF", "Off", " off\r\n"}) {
        EXPECT_EQ(parse_bool_word(word), std::optional<bool>(false)) << word;
    }
    for (const char* word : {"", " ", "2", "-1", "tru", "yess", "disabled", "enabled", "o",
                             "on off", "t f", "\xE4", "01", "+1", "1.0"}) {
        EXPECT_EQ(parse_bool_word(word), std::nullopt) << word;
    }
}

TEST(AsciiText, TrimRemovesOnlyTheGivenCharactersAtBothEnds) {
    const struct {
        std::string_view in, spaces, out;
    } rows[] = {
        {" \t\n\r\v\fa b\f\v\r\n\t ", kAsciiSpaces, "a b"},
        {"", kAsciiSpaces, ""},
        {" \t ", kAsciiSpaces, ""},
        {"\n 1GB \n", " \t", "\n 1GB \n"},
        {"\t 1GB \t", " \t", "1GB"},
        {"\v30MB\r\n", " \t\r\n", "\v30MB"},
    };
    for (const auto& row : rows) {
        EXPECT_EQ(trim(row.in, row.spaces), row.out) << row.in;
    }
}

TEST(AsciiText, DigitsLowerAndCaselessEquality) {
    EXPECT_TRUE(all_digits("0123456789"));
    EXPECT_FALSE(all_digits(""));
    EXPECT_FALSE(all_digits("12a"));
    EXPECT_FALSE(all_digits("\xd9\xa3"));  // ARABIC-INDIC DIGIT THREE is not 0-9
    EXPECT_EQ(ascii_lower("ORCH_Deploy-1\xc3\x84"), "orch_deploy-1\xc3\x84");
    EXPECT_TRUE(equals_ignoring_case("GiB", "gib"));
    EXPECT_FALSE(equals_ignoring_case("GiB", "GIB"));  // the right side is already lower case
    EXPECT_FALSE(equals_ignoring_case("Gi", "gib"));
}

TEST(AsciiText, SplitWordsSkipsRunsOfSeparatorsAndStopsAtTheLimit) {
    using Words = std::vector<std::string_view>;
    EXPECT_EQ(split_words(" a\tbc  d \n"), (Words{"a", "bc", "d"}));
    EXPECT_EQ(split_words("a,, b ,c", ", "), (Words{"a", "b", "c"}));
    EXPECT_EQ(split_words(" \t\n"), Words{});
    EXPECT_EQ(split_words(""), Words{});
    EXPECT_EQ(split_words("a\rb", " \t"), Words{"a\rb"});  // only the given separators
    EXPECT_EQ(split_words("a b c d", " ", 2), (Words{"a", "b"}));
}

enum class Colour { kRed, kGreen, kBlue };

TEST(EnumName, TableInDeclarationOrderAndUnknownOutside) {
    constexpr auto name = [](Colour c) {
        return enum_name<Colour::kBlue>(c, {"red", "green", "blue"});
    };
    static_assert(std::string_view(name(Colour::kGreen)) == "green");  // usable at compile time
    EXPECT_STREQ(name(Colour::kRed), "red");
    EXPECT_STREQ(name(Colour::kBlue), "blue");
    EXPECT_STREQ(name(static_cast<Colour>(3)), "unknown");
}

}  // namespace
}  // namespace orch::pruner
