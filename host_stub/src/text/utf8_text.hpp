#pragma once
// The host's one UTF-8 helper. Everything from outside (a plugin's status and log messages,
// manifests, file names, the environment, a peer's answer) may hold any bytes; what the host
// writes (GET /queue, its log, a Telegram message) must be valid UTF-8, or every JSON consumer
// downstream fails. Pure functions.
#include <cstddef>
#include <string>
#include <string_view>

namespace orch::host {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length in bytes of the valid UTF-8 sequence at the start of `text` (1 to 4), or 0 when it does
// not start with one: a stray continuation byte, a truncated sequence, an overlong form, a
// UTF-16 surrogate, beyond U+10FFFF, or an empty text.
std::size_t utf8_sequence_length(std::string_view text) noexcept;

bool is_valid_utf8(std::string_view text) noexcept;

// `text` with every byte that is not part of a valid sequence replaced by U+FFFD.
std::string sanitize_utf8(std::string_view text);

// Appends the character `text` starts with to `out`, or U+FFFD when it does not start with a
// valid sequence; returns how many bytes of `text` that took (1 to 4; `text` must not be empty).
std::size_t append_utf8_character(std::string& out, std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not cut a sequence in two.
// `text` should be valid UTF-8 (sanitised); invalid bytes are kept as single bytes.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept;

}  // namespace orch::host
