#pragma once
// Small text rules shared by the config reader, the parsers, the outcome evaluator and the
// status: ASCII trim/lower/digits/words, valid UTF-8 for anything from outside, character-boundary
// excerpts, boolean words, enum names. One copy each for the plugin; quoting for messages is in
// shell_quote.hpp (escape_for_message, quote_for_message). Pure.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orch::pruner {

// The ASCII whitespace of C's isspace in the "C" locale.
inline constexpr std::string_view kAsciiSpaces = " \t\n\r\v\f";

constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Non-empty and only 0-9.
bool all_digits(std::string_view s);

constexpr char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string ascii_lower(std::string_view s);

// `a` equals `lower_b` (already lower case) ignoring ASCII case.
bool equals_ignoring_case(std::string_view a, std::string_view lower_b);

// `s` without leading and trailing characters from `spaces`.
std::string_view trim(std::string_view s, std::string_view spaces = kAsciiSpaces);

// The words of `text`: the runs of characters not in `separators`. A run of separators, and
// separators at either end, separate once ("a,, b " -> a, b); blank text has no words. At most
// `max_words` are returned (the rest of the text is not read).
std::vector<std::string_view> split_words(std::string_view text,
                                          std::string_view separators = kAsciiSpaces,
                                          std::size_t max_words = SIZE_MAX);

// `text` as valid UTF-8: every byte that does not start a well-formed sequence (stray
// continuation bytes, truncated sequences, overlong forms, surrogates, > U+10FFFF) becomes
// U+FFFD, one replacement per byte. Valid input comes back unchanged.
std::string to_valid_utf8(std::string_view text);

// The first `max_chars` characters (code points) of valid UTF-8 `text`, so a cut never splits
// a multi-byte character. Run to_valid_utf8 first on anything from outside.
std::string_view utf8_prefix(std::string_view text, std::size_t max_chars);

// A boolean word, case-insensitive, surrounding whitespace ignored: 1/0, true/false, t/f,
// yes/no, y/n, on/off (the original module's settings accepted these). nullopt for anything
// else, including the empty string.
std::optional<bool> parse_bool_word(std::string_view word);

// The message of the exception being handled (call only inside a catch block), or "unknown
// exception" for one that is not a std::exception.
std::string current_exception_text();

// An enumerator's name from a table in declaration order, instead of a switch per enum. The
// table must have one name per enumerator up to `kLast` (checked at compile time); a value
// outside the enum gives "unknown".
template <auto kLast, std::size_t N>
constexpr const char* enum_name(decltype(kLast) value, const char* const (&names)[N]) noexcept {
    static_assert(static_cast<std::size_t>(kLast) + 1 == N, "one name per enumerator");
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : "unknown";
}

}  // namespace orch::pruner
