#pragma once
// Small text rules shared by the config reader, the outcome evaluator and the status: valid
// UTF-8 for anything from outside, character-boundary excerpts, boolean words. Pure.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace orch::pruner {

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

}  // namespace orch::pruner
